"""Odoo's list export to Excel, for this addon's models only:

- xlsxwriter's generic ``write`` turns text starting with "=" into a formula.
  Text typed into a case or sent in a police e-mail must never become a
  formula in a workbook someone opens: every text cell of an export of a
  ``dv.*`` model is written as text.
- Odoo logs each export with its search domain, which can hold a name
  someone searched for. Exports of ``dv.*`` models are logged without it.

Exports of every other model stay exactly as Odoo makes them."""

import contextvars
import json
import logging

from odoo.addons.web.controllers.export import (
    ExcelExport,
    ExportXlsxWriter,
    GroupExportXlsxWriter,
)

_logger = logging.getLogger(__name__)
_EXPORT_LOGGER = "odoo.addons.web.controllers.export"
_TEXT_CELLS = contextvars.ContextVar("dv_export_text_cells", default=False)


def _is_ours(model):
    return isinstance(model, str) and model.startswith("dv.")


class _NoDomainOfOurExports(logging.Filter):
    """Drop Odoo's export log line (which names the domain) for dv.* models;
    DvExcelExport logs them without it."""

    def filter(self, record):
        args = record.args if isinstance(record.args, tuple) else ()
        return not (
            record.msg.startswith("User %d exported")
            and len(args) > 2
            and (_is_ours(args[2]))
        )


logging.getLogger(_EXPORT_LOGGER).addFilter(_NoDomainOfOurExports())


class TextCellsMixin:
    def write(self, row, column, cell_value, style=None):
        if _TEXT_CELLS.get() and isinstance(cell_value, str):
            return self.worksheet.write_string(row, column, cell_value, style)
        return super().write(row, column, cell_value, style)


class DvExportXlsxWriter(TextCellsMixin, ExportXlsxWriter):
    pass


class DvGroupExportXlsxWriter(TextCellsMixin, GroupExportXlsxWriter):
    pass


class DvExcelExport(ExcelExport):
    def base(self, data):
        model = json.loads(data).get("model")
        token = _TEXT_CELLS.set(_is_ours(model))
        try:
            response = super().base(data)
        finally:
            _TEXT_CELLS.reset(token)
        if _is_ours(model):
            _logger.info("Export of %s records (list export to Excel)", model)
        return response

    def from_group_data(self, fields, columns_headers, groups):
        with DvGroupExportXlsxWriter(
            fields, columns_headers, groups.count
        ) as xlsx_writer:
            x, y = 1, 0
            for group_name, group in groups.children.items():
                x, y = xlsx_writer.write_group(x, y, group_name, group)
        return xlsx_writer.value

    def from_data(self, fields, columns_headers, rows):
        with DvExportXlsxWriter(fields, columns_headers, len(rows)) as xlsx_writer:
            for row_index, row in enumerate(rows):
                for cell_index, cell_value in enumerate(row):
                    xlsx_writer.write_cell(row_index + 1, cell_index, cell_value)
        return xlsx_writer.value
