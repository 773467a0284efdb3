"""Small-number suppression for published statistics.

A count below the threshold (but above zero) is shown as "<N" (primary
suppression). Because totals are published too, a row or column with a
single hidden cell would give it away (total minus the shown cells), so a
second cell of that row or column is hidden as well (secondary suppression),
smallest first, until no row or column has exactly one hidden cell.

Plain Python (no Odoo), so that it can be tested on its own.
"""

DEFAULT_THRESHOLD = 5
# The lowest threshold a company allows unless its manager sets another:
# below it single persons become recognisable.
DEFAULT_MINIMUM = 3


def hidden_label(threshold):
    return f"<{threshold}"


def suppress_table(table, threshold=DEFAULT_THRESHOLD):
    """Suppress a two-dimensional table of counts.

    ``table`` maps each row key to a dict mapping each column key to a count
    (missing cells count 0). Returns ``(cells, row_totals, column_totals,
    total)`` where every value is either the count or the label "<N"; the
    totals are computed from the true counts and hidden themselves when
    they are below the threshold."""
    rows = list(table)
    columns = []
    for row in rows:
        for column in table[row]:
            if column not in columns:
                columns.append(column)
    counts = {(r, c): int(table[r].get(c, 0)) for r in rows for c in columns}
    hidden = {key for key, value in counts.items() if 0 < value < threshold}

    def lines():
        for r in rows:
            yield [(r, c) for c in columns]
        for c in columns:
            yield [(r, c) for r in rows]

    changed = True
    while changed:
        changed = False
        for line in lines():
            line_hidden = [key for key in line if key in hidden]
            if len(line_hidden) != 1 or len(line) < 2:
                continue
            candidates = sorted(
                (key for key in line if key not in hidden),
                key=lambda key: (
                    counts[key],
                    rows.index(key[0]),
                    columns.index(key[1]),
                ),
            )
            if candidates:
                hidden.add(candidates[0])
                changed = True
    label = hidden_label(threshold)

    def show(value, is_hidden=False):
        return label if is_hidden or 0 < value < threshold else value

    cells = {
        r: {c: show(counts[(r, c)], (r, c) in hidden) for c in columns} for r in rows
    }
    row_totals = {r: show(sum(counts[(r, c)] for c in columns)) for r in rows}
    column_totals = {c: show(sum(counts[(r, c)] for r in rows)) for c in columns}
    total = show(sum(counts.values()))
    return cells, row_totals, column_totals, total


def suppress_list(counts, threshold=DEFAULT_THRESHOLD):
    """Suppress a one-dimensional breakdown ``{category: count}`` published
    with its total. Returns ``(cells, total)``."""
    cells, _rows, _columns, total = suppress_table(
        {"all": dict(counts)}, threshold=threshold
    )
    return cells["all"], total
