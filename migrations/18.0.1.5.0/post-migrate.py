"""18.0.1.5.0:

- the federal state profiles take the values checked for this version (Lower
  Saxony's norm § 17a NPOG, no contact ban of its own in North
  Rhine-Westphalia, Schleswig-Holstein's statute obliging the police to pass
  the victim's data, and the source notes of all values still to check); a
  profile a manager changed keeps its values;
- each case gets the lead institution its latest held case conference agreed
  on (an agency of the case's company or of none); the high-risk status
  (``is_high_risk``) is computed by the update itself."""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from odoo.addons.dv_case_management.models.dv_land_profile import (
    update_shipped_profiles,
)


def migrate(cr, version):
    if not version:
        return
    update_shipped_profiles(api.Environment(cr, SUPERUSER_ID, {}))
    cr.execute(
        SQL(
            """
UPDATE dv_case c
   SET lead_institution_id = latest.agency_id
  FROM (
        SELECT DISTINCT ON (line.case_ref_id)
               line.case_ref_id AS case_id, line.lead_agency_id AS agency_id
          FROM dv_conference_agenda_item line
          JOIN dv_conference conference ON conference.id = line.conference_id
          JOIN dv_case lead_case ON lead_case.id = line.case_ref_id
          JOIN dv_agency agency ON agency.id = line.lead_agency_id
         WHERE conference.state IN ('held', 'approved', 'closed')
           AND (agency.company_id IS NULL
                OR agency.company_id = lead_case.company_id)
         ORDER BY line.case_ref_id, conference.held_on DESC NULLS LAST,
                  conference.id DESC
       ) latest
 WHERE c.id = latest.case_id
   AND c.lead_institution_id IS NULL
"""
        )
    )
