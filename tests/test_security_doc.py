"""docs/SECURITY.md lists, for every guarded model, which fields nobody
writes from outside, which are fixed at creation and which the record rules
leave to the users. The list is made from the models themselves; this test
keeps the document true. After changing a model, write the list anew:

    DV_WRITE_SECURITY_DOC=1 scripts/test -k security_doc
"""

import os
import re
from pathlib import Path

from odoo.tests import TransactionCase, tagged

DOC = Path(__file__).resolve().parent.parent / "docs" / "SECURITY.md"
START = "<!-- fields:start -->"
END = "<!-- fields:end -->"
SKIPPED = {
    "id",
    "display_name",
    "create_uid",
    "create_date",
    "write_uid",
    "write_date",
}


def field_table(env):
    lines = [
        "| Model | Set by the application only | Fixed at creation | "
        "Written by the users the rules allow |",
        "| --- | --- | --- | --- |",
    ]
    for name in sorted(env.registry):
        model = env[name]
        if not name.startswith("dv.") or model._abstract or model._transient:
            continue
        if not hasattr(model, "_dv_prepare_create"):
            continue
        guarded = model._dv_guarded_field_names()
        immutable = set(model._dv_immutable_fields)
        # The chatter's and activities' own fields are Odoo's.
        mail = set(env["mail.thread"]._fields) | set(env["mail.activity.mixin"]._fields)
        fields = [f for f in model._fields if f not in SKIPPED and f not in mail]
        columns = [
            sorted(f for f in fields if f in guarded),
            sorted(f for f in fields if f in immutable and f not in guarded),
            sorted(f for f in fields if f not in guarded and f not in immutable),
        ]
        lines.append(
            f"| `{name}` | "
            + " | ".join(", ".join(f"`{f}`" for f in column) for column in columns)
            + " |"
        )
    return "\n".join(lines)


@tagged("post_install", "-at_install")
class TestSecurityDoc(TransactionCase):
    def test_field_decisions_are_written_down(self):
        text = DOC.read_text(encoding="utf-8")
        table = field_table(self.env)
        pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
        expected = f"{START}\n{table}\n{END}"
        if os.environ.get("DV_WRITE_SECURITY_DOC"):
            DOC.write_text(pattern.sub(lambda _m: expected, text), encoding="utf-8")
            return
        found = pattern.search(text)
        self.assertTrue(found, f"{DOC} has no {START} ... {END} section")
        self.assertEqual(
            found.group(0),
            expected,
            "docs/SECURITY.md's field list is out of date; write it anew with "
            "DV_WRITE_SECURITY_DOC=1 scripts/test -k security_doc",
        )
