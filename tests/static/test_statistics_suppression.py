"""Small-number suppression, tested without Odoo."""

import importlib.util
import itertools
import os
from pathlib import Path

ROOT = Path(os.environ.get("DV_REPO_DIR") or Path(__file__).resolve().parents[2])
_spec = importlib.util.spec_from_file_location(
    "statistics_suppression", ROOT / "tools" / "statistics_suppression.py"
)
suppression = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suppression)


def test_primary_and_secondary_in_a_list():
    cells, total = suppression.suppress_list({"a": 12, "b": 3, "c": 7, "d": 0})
    # b is small; the total would give it away, so the next smallest shown
    # value goes too (d, a zero, is the smallest).
    assert cells == {"a": 12, "b": "<5", "c": 7, "d": "<5"}
    assert total == 22


def test_nothing_small_nothing_hidden():
    cells, total = suppression.suppress_list({"a": 5, "b": 9})
    assert cells == {"a": 5, "b": 9}
    assert total == 14


def test_table_rows_and_columns_never_have_a_single_hidden_cell():
    table = {
        "female": {"<=21": 2, "22-30": 14, "31-40": 20},
        "male": {"<=21": 6, "22-30": 1, "31-40": 9},
        "diverse": {"<=21": 0, "22-30": 0, "31-40": 7},
    }
    cells, rows, columns, total = suppression.suppress_table(table)
    assert total == 59
    assert rows["female"] == 36 and columns["31-40"] == 36
    for row in cells.values():
        assert sum(1 for value in row.values() if value == "<5") != 1
    for column in ("<=21", "22-30", "31-40"):
        hidden = sum(1 for row in cells.values() if row[column] == "<5")
        assert hidden != 1
    assert cells["female"]["<=21"] == "<5"
    assert cells["male"]["22-30"] == "<5"


def test_small_totals_are_hidden():
    _cells, rows, columns, total = suppression.suppress_table({"x": {"a": 1, "b": 2}})
    assert rows["x"] == "<5"
    assert total == "<5"
    assert columns == {"a": "<5", "b": "<5"}


def test_no_hidden_value_can_be_recomputed():
    """For every small table: no hidden cell equals its row or column total
    minus the shown cells (which would only be possible with one hidden
    cell in that line)."""
    for values in itertools.product([0, 1, 4, 5, 9], repeat=4):
        table = {
            "r1": {"c1": values[0], "c2": values[1]},
            "r2": {"c1": values[2], "c2": values[3]},
        }
        cells, rows, columns, _total = suppression.suppress_table(table)
        for r in ("r1", "r2"):
            assert (
                sum(1 for c in ("c1", "c2") if cells[r][c] == "<5") != 1
                or rows[r] == "<5"
            )
        for c in ("c1", "c2"):
            assert (
                sum(1 for r in ("r1", "r2") if cells[r][c] == "<5") != 1
                or columns[c] == "<5"
            )


def test_the_totals_give_no_hidden_value_away():
    """Found in review: the row of column totals showed all totals but one
    and the grand total, which gave the hidden one away. Every row and
    column with its total, and the totals with the grand total, have no
    single hidden value."""
    cells, rows, columns, total = suppression.suppress_table(
        {
            "oct": {"a": 0, "b": 0, "c": 0, "d": 0},
            "dec": {"a": 3, "b": 3, "c": 3, "d": 1},
        },
        threshold=3,
    )
    assert total == 10
    assert list(columns.values()).count("<3") != 1
    for values in itertools.product([0, 1, 4, 5, 9], repeat=4):
        table = {
            "r1": {"c1": values[0], "c2": values[1]},
            "r2": {"c1": values[2], "c2": values[3]},
        }
        cells, rows, columns, total = suppression.suppress_table(table)
        lines = [[*cells[r].values(), rows[r]] for r in ("r1", "r2")]
        lines += [[cells["r1"][c], cells["r2"][c], columns[c]] for c in ("c1", "c2")]
        lines += [[*columns.values(), total], [*rows.values(), total]]
        for line in lines:
            assert line.count("<5") != 1, (table, line)


def test_a_hidden_total_takes_a_cell_with_it():
    cells, total = suppression.suppress_list({"a": 9, "b": 7}, hide_total=True)
    assert total == "<5"
    assert list(cells.values()).count("<5") == 1
