from pathlib import Path

import polib

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase
from odoo.tools.translate import TranslationModuleReader

PO_PATH = Path(__file__).resolve().parent.parent / "i18n" / "de.po"


class TestGermanTranslation(TransactionCase):
    def test_every_term_is_translated(self):
        """Every term Odoo exports for the addon has a German translation."""
        po = polib.pofile(str(PO_PATH))
        translated = {entry.msgid for entry in po.translated_entries()}
        reader = TranslationModuleReader(
            self.env.cr, modules=["dv_case_management"], lang="de_DE"
        )
        missing = sorted(
            {source for _module, _type, _name, _id, source, _value, _c in reader}
            - translated
        )
        self.assertFalse(
            missing, f"terms without a German translation in i18n/de.po: {missing}"
        )

    def test_german_user_sees_german(self):
        self._ensure_german()
        env = self.env(context={"lang": "de_DE"})
        self.assertEqual(
            env.ref("dv_case_management.dv_root_menu").name, "Häusliche Gewalt"
        )
        self.assertEqual(
            env.ref("dv_case_management.agency_type_shelter").name, "Frauenhaus"
        )
        self.assertEqual(
            env.ref("dv_case_management.group_dv_caseworker").name, "Fallbearbeitung"
        )
        field = env["dv.agency"]._fields["agency_type_id"]
        self.assertEqual(field._description_string(env), "Art der Einrichtung")

    def test_errors_speak_german(self):
        self._ensure_german()
        env = self.env(context={"lang": "de_DE"})
        company = env["res.company"].create({"name": "i18n company"})
        agency = env["dv.agency"].create(
            {
                "name": "i18n agency",
                "agency_type_id": env.ref(
                    "dv_case_management.agency_type_counselling"
                ).id,
                "company_id": company.id,
            }
        )
        case = env["dv.case"].create(
            {"lead_agency_id": agency.id, "company_id": company.id, "user_id": False}
        )
        with self.assertRaises(ValidationError) as error:
            env["dv.incident"].create({"case_id": case.id, "date": "2999-01-01"})
        self.assertIn("Zukunft", str(error.exception))

    def test_chatter_names_the_model_in_the_users_language(self):
        """Without a language in the context (data loader, crons), the creation
        message is written in the user's language, the model's name too."""
        self._ensure_german()
        self.env.user.lang = "de_DE"
        env = self.env(
            context={k: v for k, v in self.env.context.items() if k != "lang"}
        )
        self.assertFalse(env.lang)
        company = env["res.company"].create({"name": "i18n chatter company"})
        agency = env["dv.agency"].create(
            {
                "name": "i18n chatter agency",
                "agency_type_id": env.ref(
                    "dv_case_management.agency_type_counselling"
                ).id,
                "company_id": company.id,
            }
        )
        case = env["dv.case"].create(
            {"lead_agency_id": agency.id, "company_id": company.id, "user_id": False}
        )
        bodies = [str(body) for body in case.message_ids.mapped("body")]
        self.assertIn("<p>Fall erstellt</p>", bodies)

    def _ensure_german(self):
        if not self.env["res.lang"]._lang_get("de_DE"):
            self.env["res.lang"]._activate_lang("de_DE")
            self.env["ir.module.module"].search(
                [("name", "=", "dv_case_management")]
            )._update_translations(["de_DE"])
