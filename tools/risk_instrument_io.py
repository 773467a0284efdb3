"""Reading and writing risk instrument definitions as a table (csv or xlsx).

One table, one row per record, the first row naming the columns:

    type, code, name, version, instrument_type, reassessment_days, description,
    section, text, help, weight, red_flag, min_score, level

- ``type`` is ``instrument`` (exactly one row), ``item`` or ``band``.
- instrument rows: ``code``, ``name``, ``version`` (whole number >= 1),
  ``instrument_type`` (checklist, weighted, external; a column ``kind``, as
  files written before 18.0.1.6.0 name it, is read the same),
  ``reassessment_days`` (optional), ``description`` (optional).
- item rows: ``code`` (optional), ``section`` (optional), ``text``, ``help``
  (optional), ``weight`` (number >= 0, default 1), ``red_flag``
  (yes/no, ja/nein, 1/0, true/false; default no).
- band rows: ``min_score`` (number >= 0) and ``level`` (standard, medium,
  high); one band must start at 0.

This module is plain Python (no Odoo) so that it can be tested on its own.
"""

import csv
import io

COLUMNS = [
    "type",
    "code",
    "name",
    "version",
    "instrument_type",
    "reassessment_days",
    "description",
    "section",
    "text",
    "help",
    "weight",
    "red_flag",
    "min_score",
    "level",
]
INSTRUMENT_TYPES = ("checklist", "weighted", "external")
# Older names of columns, read as their new names.
RENAMED_COLUMNS = {"kind": "instrument_type"}
LEVELS = ("standard", "medium", "high")
TRUE = {"yes", "ja", "1", "true", "x", "y", "j"}
FALSE = {"no", "nein", "0", "false", "", "n"}
MAX_TEXT = 2000


class InstrumentFileError(ValueError):
    """A bad file: ``errors`` is a list of (row number or None, reason key,
    detail) — the caller turns them into sentences in the user's language."""

    def __init__(self, errors):
        super().__init__(
            "; ".join(f"{row}: {key} {detail}" for row, key, detail in errors)
        )
        self.errors = errors


def read_rows(content, filename):
    """Rows (lists of strings) of a csv or xlsx file."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        import openpyxl  # noqa: PLC0415 - only needed for xlsx files

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        except Exception as error:  # openpyxl raises many kinds
            raise InstrumentFileError(
                [(None, "unreadable", str(error)[:200])]
            ) from error
        sheet = workbook.worksheets[0]
        return [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InstrumentFileError([(None, "encoding", "")]) from error
        try:
            dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", ",;\t")
        except csv.Error:
            dialect = csv.excel
        return [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), dialect)
        ]
    raise InstrumentFileError([(None, "file_type", filename or "")])


def _number(value, row, column, errors, minimum=0.0, integer=False):
    try:
        number = float(value.replace(",", ".")) if value != "" else None
    except ValueError:
        number = None
        errors.append((row, "number", column))
        return None
    if number is None:
        return None
    if number < minimum or (integer and number != int(number)):
        errors.append((row, "number", column))
        return None
    return int(number) if integer else number


class _Row:
    """One row of the table, read through the header's column positions."""

    def __init__(self, index, cells, number):
        self.index = index
        self.cells = cells
        self.number = number

    def __getitem__(self, column):
        position = self.index.get(column)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position].strip()


def _instrument_values(row, errors):
    values = {
        "code": row["code"],
        "name": row["name"],
        "version": _number(
            row["version"] or "1", row.number, "version", errors, 1, True
        ),
        "instrument_type": row["instrument_type"].lower() or "checklist",
        "reassessment_days": _number(
            row["reassessment_days"] or "0",
            row.number,
            "reassessment_days",
            errors,
            0,
            True,
        ),
        "description": row["description"],
    }
    for column in ("code", "name"):
        if not values[column]:
            errors.append((row.number, "required", column))
    if values["instrument_type"] not in INSTRUMENT_TYPES:
        errors.append((row.number, "choice", "instrument_type"))
    return values


def _item_values(row, errors, sequence):
    flag = row["red_flag"].lower()
    if flag not in TRUE | FALSE:
        errors.append((row.number, "yes_no", "red_flag"))
    weight = _number(row["weight"] or "1", row.number, "weight", errors)
    if not row["text"]:
        errors.append((row.number, "required", "text"))
    return {
        "code": row["code"],
        "section": row["section"],
        "text": row["text"],
        "help": row["help"],
        "weight": weight if weight is not None else 1.0,
        "red_flag": flag in TRUE,
        "sequence": sequence,
    }


def _band_values(row, errors):
    score = _number(row["min_score"], row.number, "min_score", errors)
    level = row["level"].lower()
    if row["min_score"] == "":
        errors.append((row.number, "required", "min_score"))
    if level not in LEVELS:
        errors.append((row.number, "choice", "level"))
    return {"min_score": score or 0.0, "level": level}


def _check_whole(instrument, items, bands, errors):
    if instrument is None:
        errors.append((None, "no_instrument", ""))
        return
    if instrument["instrument_type"] == "external":
        return
    if not items:
        errors.append((None, "no_items", ""))
    if not any(band["min_score"] == 0 for band in bands):
        errors.append((None, "no_zero_band", ""))
    scores = [band["min_score"] for band in bands]
    if len(scores) != len(set(scores)):
        errors.append((None, "duplicate_band", ""))


def parse_instrument(rows):
    """Check every row and return the instrument as a dict
    ``{code, name, version, instrument_type, reassessment_days, description, items:
    [...], bands: [...]}``; raise InstrumentFileError listing every problem
    with its row number (1 = the header row)."""
    errors = []
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise InstrumentFileError([(None, "empty", "")])
    header = [cell.strip().lower() for cell in rows[0]]
    header = [RENAMED_COLUMNS.get(column, column) for column in header]
    if "type" not in header:
        raise InstrumentFileError([(1, "columns", "type")])
    index = {column: header.index(column) for column in COLUMNS if column in header}
    instrument = None
    items, bands = [], []
    for number, cells in enumerate(rows[1:], start=2):
        row = _Row(index, cells, number)
        for column in ("name", "text", "help", "description", "section"):
            if len(row[column]) > MAX_TEXT:
                errors.append((number, "too_long", column))
        row_type = row["type"].lower()
        if row_type == "instrument" and instrument is not None:
            errors.append((number, "second_instrument", ""))
        elif row_type == "instrument":
            instrument = _instrument_values(row, errors)
        elif row_type == "item":
            items.append(_item_values(row, errors, len(items) + 1))
        elif row_type == "band":
            bands.append(_band_values(row, errors))
        else:
            errors.append((number, "type", row["type"]))
    _check_whole(instrument, items, bands, errors)
    if errors:
        raise InstrumentFileError(errors)
    instrument["items"] = items
    instrument["bands"] = bands
    return instrument


def instrument_rows(instrument):
    """The table of an instrument given as the dict parse_instrument returns."""
    rows = [COLUMNS]

    def row(**values):
        return [values.get(column, "") for column in COLUMNS]

    rows.append(
        row(
            type="instrument",
            code=instrument["code"],
            name=instrument["name"],
            version=str(instrument["version"]),
            instrument_type=instrument["instrument_type"],
            reassessment_days=str(instrument.get("reassessment_days") or 0),
            description=instrument.get("description") or "",
        )
    )
    for item in instrument["items"]:
        rows.append(
            row(
                type="item",
                code=item.get("code") or "",
                section=item.get("section") or "",
                text=item["text"],
                help=item.get("help") or "",
                weight=f"{item['weight']:g}",
                red_flag="yes" if item["red_flag"] else "no",
            )
        )
    for band in instrument["bands"]:
        rows.append(
            row(type="band", min_score=f"{band['min_score']:g}", level=band["level"])
        )
    return rows


def rows_to_csv(rows):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def rows_to_xlsx(rows):
    """An xlsx file of the rows; every cell is written as text, so nothing
    in it ever becomes a formula."""
    import xlsxwriter  # noqa: PLC0415 - only needed for xlsx files

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("instrument")
    bold = workbook.add_format({"bold": True})
    for row_number, row in enumerate(rows):
        for column, value in enumerate(row):
            sheet.write_string(
                row_number, column, value, bold if row_number == 0 else None
            )
    sheet.set_column(0, len(COLUMNS) - 1, 16)
    sheet.set_column(COLUMNS.index("text"), COLUMNS.index("text"), 60)
    workbook.close()
    return buffer.getvalue()
