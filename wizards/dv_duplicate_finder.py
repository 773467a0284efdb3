from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools.duplicate_score import DEFAULT_MIN_SCORE, score_pair

# Most pairs listed at once: the office works through them and searches again.
MAX_PAIRS = 200


def _office_agencies(env):
    """The offices whose duplicates the current user may search: the
    agencies she is a case worker of."""
    if not env.user.has_group("dv_case_management.group_dv_caseworker"):
        return env["dv.agency"]
    return env.user.dv_agency_ids


class DvDuplicateFinder(models.TransientModel):
    """Likely duplicate victims among the cases of one office."""

    _name = "dv.duplicate.finder"
    _description = "Find Duplicate Victims"

    agency_id = fields.Many2one(
        "dv.agency",
        string="Office",
        required=True,
        default=lambda self: _office_agencies(self.env)[:1],
        domain="[('id', 'in', allowed_agency_ids)]",
    )
    allowed_agency_ids = fields.Many2many(
        "dv.agency", compute="_compute_allowed_agency_ids"
    )
    min_score = fields.Integer(
        string="Minimum Score",
        default=DEFAULT_MIN_SCORE,
        help="Pairs from this score (0-100) on are listed.",
    )
    line_ids = fields.One2many(
        "dv.duplicate.finder.line", "finder_id", string="Likely Duplicates"
    )
    searched = fields.Boolean(readonly=True)

    @api.depends_context("uid")
    def _compute_allowed_agency_ids(self):
        agencies = _office_agencies(self.env)
        for finder in self:
            finder.allowed_agency_ids = agencies

    @api.constrains("agency_id")
    def _check_agency(self):
        allowed = _office_agencies(self.env)
        for finder in self:
            if not self.env.su and finder.agency_id not in allowed:
                raise ValidationError(
                    self.env._(
                        "You can search for duplicates only in an office you work "
                        "for as a case worker."
                    )
                )

    @api.constrains("min_score")
    def _check_min_score(self):
        for finder in self:
            if not 0 <= finder.min_score <= 100:
                raise ValidationError(
                    self.env._("The minimum score lies between 0 and 100.")
                )

    def action_search(self):
        self.ensure_one()
        self._check_agency()
        self.sudo().line_ids.unlink()
        pairs = self._find_pairs()
        self.env["dv.duplicate.finder.line"].sudo().create(
            [
                {
                    "finder_id": self.id,
                    "person_id": first.id,
                    "duplicate_person_id": second.id,
                    "score": score,
                    "reasons": findings,
                }
                for first, second, score, findings in pairs
            ]
        )
        self.searched = True
        self.env["dv.access.log"]._log_many(
            [self.env["dv.person"].browse(p.id for pair in pairs for p in pair[:2])]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Likely Duplicates"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def _find_pairs(self):
        """[(person, person, score, findings)] of the office's victims in
        two different open, unmerged, unerased cases, best first; only cases
        the user may read. The database narrows the pairs (trigram
        similarity of the names, other names, birth date, phone digits), the
        score decides."""
        agency = self.agency_id
        self.env["dv.person"].flush_model()
        self.env["dv.person.protected"].flush_model()
        self.env["dv.case"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                WITH victims AS (
                    SELECT p.id, p.case_id, p.normalized_name, p.birth_date,
                           string_to_array(coalesce(p.normalized_aliases, ''), '|')
                               AS aliases,
                           nullif(regexp_replace(coalesce(pp.phone, ''), '\\D', '',
                                                 'g'), '') AS digits
                      FROM dv_person p
                      JOIN dv_case c ON c.id = p.case_id
                      LEFT JOIN dv_person_protected pp ON pp.id = p.protected_id
                     WHERE p.role = 'victim'
                       AND c.lead_agency_id = %(agency)s
                       AND c.company_id = %(company)s
                       AND c.active
                       AND c.erased_on IS NULL
                       AND c.merged_into_id IS NULL
                )
                SELECT a.id, b.id
                  FROM victims a
                  JOIN victims b ON a.case_id < b.case_id
                 WHERE similarity(a.normalized_name, b.normalized_name) >= 0.3
                    OR a.normalized_name = ANY(b.aliases)
                    OR b.normalized_name = ANY(a.aliases)
                    OR a.birth_date = b.birth_date
                    OR (length(a.digits) >= 6
                        AND right(a.digits, 9) = right(b.digits, 9))
                 LIMIT 5000
                """,
                agency=agency.id,
                company=agency.company_id.id or self.env.company.id,
            )
        )
        rows = self.env.cr.fetchall()
        Case = self.env["dv.case"]
        candidates = (
            self.env["dv.person"].sudo().browse({pid for row in rows for pid in row})
        )
        readable = candidates.case_id.with_env(self.env)._filtered_access("read")
        # Each person read and keyed once, all of them in one prefetch.
        people = {
            person.id: person for person in candidates if person.case_id in readable
        }
        keys = {pid: Case._dv_person_key(person) for pid, person in people.items()}
        scored = []
        for first_id, second_id in rows:
            if first_id not in people or second_id not in people:
                continue
            score, reasons = score_pair(keys[first_id], keys[second_id])
            if score >= self.min_score:
                scored.append(
                    (
                        people[first_id],
                        people[second_id],
                        score,
                        Case._dv_reason_text(reasons),
                    )
                )
        scored.sort(key=lambda pair: (-pair[2], pair[0].case_id.id))
        return scored[:MAX_PAIRS]


class DvDuplicateFinderLine(models.TransientModel):
    _name = "dv.duplicate.finder.line"
    _description = "Likely Duplicate"
    _order = "score desc, id"

    finder_id = fields.Many2one(
        "dv.duplicate.finder", required=True, ondelete="cascade", readonly=True
    )
    person_id = fields.Many2one("dv.person", string="Victim", readonly=True)
    duplicate_person_id = fields.Many2one(
        "dv.person", string="Likely Same Victim", readonly=True
    )
    case_id = fields.Many2one(related="person_id.case_id", string="Case")
    duplicate_case_id = fields.Many2one(
        related="duplicate_person_id.case_id", string="Other Case"
    )
    score = fields.Integer(readonly=True)
    reasons = fields.Char(string="Findings", readonly=True)

    def action_open_merge_wizard(self):
        """The merge of the later case into the earlier one, to confirm."""
        self.ensure_one()
        self.finder_id._check_agency()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Duplicate Cases"),
            "res_model": "dv.case.merge.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_case_id": self.case_id.id,
                "default_duplicate_case_id": self.duplicate_case_id.id,
            },
        }
