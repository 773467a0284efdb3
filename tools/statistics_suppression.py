"""Small-number suppression for published statistics.

A count below the threshold (but above zero) is shown as "<N" (primary
suppression). Because totals are published too, a row or column with a
single hidden cell would give it away (total minus the shown cells), so a
second cell of that row or column is hidden as well (secondary suppression),
smallest first, until no row or column has exactly one hidden cell. The
totals take part: the row of column totals with the grand total is a sum
too, so a total is hidden like a cell when it alone would be missing.

Plain Python (no Odoo), so that it can be tested on its own.
"""

DEFAULT_THRESHOLD = 5
# The lowest threshold a company allows unless its manager sets another:
# below it single persons become recognisable.
DEFAULT_MINIMUM = 3
# The key of the totals among the rows and columns (no table uses it).
_TOTAL = object()


def hidden_label(threshold):
    return f"<{threshold}"


def suppress_table(table, threshold=DEFAULT_THRESHOLD, hide_total=False):
    """Suppress a two-dimensional table of counts.

    ``table`` maps each row key to a dict mapping each column key to a count
    (missing cells count 0). Returns ``(cells, row_totals, column_totals,
    total)`` where every value is either the count or the label "<N".

    The totals are published with the cells, so they take part in the
    suppression: every row with its total, every column with its total, the
    row of column totals and the column of row totals with the grand total
    are sums, and none of them may have exactly one hidden value (else it
    would be the sum minus the shown values). ``hide_total`` hides the grand
    total whatever it is (another block hides the same number)."""
    rows = list(table)
    columns = []
    for row in rows:
        for column in table[row]:
            if column not in columns:
                columns.append(column)
    counts = {(r, c): int(table[r].get(c, 0)) for r in rows for c in columns}
    # The totals as entries of the same kind: (r, TOTAL) is the total of row
    # r, (TOTAL, c) that of column c, (TOTAL, TOTAL) the grand total.
    for r in rows:
        counts[(r, _TOTAL)] = sum(counts[(r, c)] for c in columns)
    for c in columns:
        counts[(_TOTAL, c)] = sum(counts[(r, c)] for r in rows)
    counts[(_TOTAL, _TOTAL)] = sum(counts[(r, _TOTAL)] for r in rows)
    hidden = {key for key, value in counts.items() if 0 < value < threshold}
    if hide_total:
        hidden.add((_TOTAL, _TOTAL))
    row_index = {r: index for index, r in enumerate(rows)}
    row_index[_TOTAL] = len(rows)
    column_index = {c: index for index, c in enumerate(columns)}
    column_index[_TOTAL] = len(columns)

    def order(key):
        # The smallest first; cells before totals; in the table's order.
        is_total = _TOTAL in key
        return (counts[key], is_total, row_index[key[0]], column_index[key[1]])

    lines = [[(r, c) for c in [*columns, _TOTAL]] for r in [*rows, _TOTAL]]
    lines += [[(r, c) for r in [*rows, _TOTAL]] for c in [*columns, _TOTAL]]

    changed = True
    while changed:
        changed = False
        for line in lines:
            line_hidden = [key for key in line if key in hidden]
            if len(line_hidden) != 1:
                continue
            candidates = sorted((key for key in line if key not in hidden), key=order)
            if candidates:
                hidden.add(candidates[0])
                changed = True
    label = hidden_label(threshold)

    def show(key):
        return label if key in hidden else counts[key]

    cells = {r: {c: show((r, c)) for c in columns} for r in rows}
    row_totals = {r: show((r, _TOTAL)) for r in rows}
    column_totals = {c: show((_TOTAL, c)) for c in columns}
    return cells, row_totals, column_totals, show((_TOTAL, _TOTAL))


def suppress_list(counts, threshold=DEFAULT_THRESHOLD, hide_total=False):
    """Suppress a one-dimensional breakdown ``{category: count}`` published
    with its total. Returns ``(cells, total)``."""
    cells, _rows, _columns, total = suppress_table(
        {"all": dict(counts)}, threshold=threshold, hide_total=hide_total
    )
    return cells["all"], total
