import base64
import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time

from .common import DvCommon


class RiskCommon(DvCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.screening = cls.env.ref("dv_case_management.risk_instrument_screening")
        cls.external = cls.env.ref("dv_case_management.risk_instrument_external")
        cls.weighted = cls.env["dv.risk.instrument"].create(
            {
                "name": "Weighted Test",
                "code": "weighted_test",
                "instrument_type": "weighted",
                "reassessment_days": 30,
                "item_ids": [
                    Command.create({"text": "A", "weight": 2.5, "sequence": 1}),
                    Command.create({"text": "B", "weight": 4, "sequence": 2}),
                    Command.create(
                        {"text": "C", "weight": 1, "red_flag": True, "sequence": 3}
                    ),
                ],
                "band_ids": [
                    Command.create({"min_score": 0, "level": "standard"}),
                    Command.create({"min_score": 4, "level": "medium"}),
                    Command.create({"min_score": 6.5, "level": "high"}),
                ],
            }
        )
        cls.case = cls._create_case()
        cls.coordinator_a = cls._new_member(
            "dv_test_risk_coordinator", "coordinator", cls.agency_a
        )

    def _assess(self, instrument, answers=(), user=None, **values):
        """An assessment answering the first items with ``answers``."""
        user = user or self.caseworker
        assessment = (
            self.env["dv.risk.assessment"]
            .with_user(user)
            .create(
                dict(
                    {"case_id": self.case.id, "instrument_id": instrument.id},
                    **values,
                )
            )
        )
        for answer, value in zip(assessment.answer_ids, answers, strict=False):
            answer.answer = value
        return assessment


class TestScoring(RiskCommon):
    def test_checklist_counts_yes_and_band_edges(self):
        items = len(self.screening.item_ids)
        self.assertGreaterEqual(items, 20)
        # Skip the red-flag items so that only the count decides.
        plain = self.screening.item_ids.filtered(lambda i: not i.red_flag)
        for yes, level in (
            (0, "standard"),
            (5, "standard"),
            (6, "medium"),
            (10, "medium"),
            (11, "high"),
        ):
            with self.subTest(yes=yes):
                assessment = self._assess(self.screening)
                for answer in assessment.answer_ids:
                    answer.answer = "yes" if answer.item_id in plain[:yes] else "no"
                self.assertEqual(assessment.score, yes)
                self.assertEqual(assessment.final_level, level)

    def test_unknown_does_not_count(self):
        assessment = self._assess(self.screening, ["unknown"] * 5 + ["no"] * 3)
        self.assertEqual(assessment.score, 0)
        self.assertGreaterEqual(assessment.unknown_count, 5)

    def test_red_flag_means_at_least_high(self):
        assessment = self._assess(self.screening)
        strangulation = assessment.answer_ids.filtered(
            lambda a: a.item_id.code == "strangulation"
        )
        strangulation.answer = "yes"
        self.assertEqual(assessment.score, 1)
        self.assertEqual(assessment.band_level, "standard")
        self.assertEqual(assessment.red_flag_count, 1)
        self.assertEqual(assessment.final_level, "high")

    def test_weighted_score(self):
        assessment = self._assess(self.weighted, ["yes", "no", "no"])
        self.assertEqual(assessment.score, 2.5)
        self.assertEqual(assessment.final_level, "standard")
        assessment.answer_ids[1].answer = "yes"
        self.assertEqual(assessment.score, 6.5)
        self.assertEqual(assessment.final_level, "high", "6.5 is the edge of high")
        assessment.answer_ids[0].answer = "no"
        self.assertEqual(assessment.final_level, "medium")

    def test_external_result(self):
        assessment = self._assess(
            self.external, external_tool="odara", external_level="medium"
        )
        self.assertFalse(assessment.answer_ids)
        self.assertEqual(assessment.final_level, "medium")
        assessment.with_user(self.caseworker).action_done()
        self.assertEqual(self.case.risk_level, "medium")

    def test_override_raises_never_lowers(self):
        assessment = self._assess(self.weighted, ["no", "yes", "no"])
        self.assertEqual(assessment.computed_level, "medium")
        with self.assertRaises(ValidationError):
            assessment.write({"override_level": "high", "override_reason": " "})
        with self.assertRaises(ValidationError):
            assessment.write({"override_level": "standard", "override_reason": "calm"})
        assessment.write(
            {"override_level": "high", "override_reason": "Threats in court today."}
        )
        self.assertEqual(assessment.final_level, "high")

    def test_one_click_answers_after_saving(self):
        with Form(
            self.env["dv.risk.assessment"]
            .with_user(self.caseworker)
            .with_context(default_case_id=self.case.id)
        ) as form:
            form.instrument_id = self.weighted
        assessment = form.record.with_user(self.caseworker)
        self.assertEqual(assessment.person_id, self.case.victim_id)
        self.assertEqual(len(assessment.answer_ids), 3)
        # No level before an answer.
        self.assertEqual(assessment.answered_count, 0)
        assessment.answer_ids[1].action_answer_yes()
        self.assertEqual(assessment.answered_count, 1)
        self.assertEqual(assessment.score, 4)
        self.assertEqual(assessment.final_level, "medium")
        assessment.answer_ids[1].action_answer_unknown()
        self.assertEqual(assessment.answered_count, 0)

    def test_from_the_case_a_draft_on_the_screening_checklist(self):
        action = self.case.with_user(self.caseworker).action_new_assessment()
        assessment = self.env["dv.risk.assessment"].browse(action["res_id"])
        self.assertEqual(assessment.case_id, self.case)
        self.assertEqual(
            assessment.instrument_id,
            self.env.ref("dv_case_management.risk_instrument_screening"),
        )
        self.assertEqual(len(assessment.answer_ids), 21)
        self.assertIn(self.case.name, assessment.display_name)
        with self.assertRaises(AccessError):
            self.case.with_user(self.caseworker_b).action_new_assessment()


@freeze_time("2026-06-01")
class TestLifecycle(RiskCommon):
    def test_done_locks_and_schedules_reassessment(self):
        assessment = self._assess(self.weighted, ["yes", "no", "no"])
        assessment.with_user(self.caseworker).action_done()
        self.assertEqual(assessment.state, "done")
        with self.assertRaises(UserError):
            assessment.with_user(self.caseworker).write({"note": "changed"})
        with self.assertRaises(UserError):
            assessment.answer_ids[0].with_user(self.caseworker).answer = "no"
        with self.assertRaises(UserError):
            assessment.with_user(self.caseworker).unlink()
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "dv.risk.assessment"),
                ("res_id", "=", assessment.id),
                ("dv_deadline_key", "=", "reassess"),
            ]
        )
        self.assertEqual(str(activity.date_deadline), "2026-06-29")
        self.assertEqual(activity.dv_case_id, self.case, "the case lists it")

    def test_coordinator_reopens_with_reason(self):
        assessment = self._assess(self.weighted, ["yes", "no", "no"])
        assessment.with_user(self.caseworker).action_done()
        with self.assertRaises(AccessError):
            assessment.with_user(self.caseworker)._reopen("mistake")
        action = assessment.with_user(self.coordinator_a).action_open_reopen_wizard()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.coordinator_a)
            .with_context(**action["context"])
        )
        wizard.reason = "Wrong answer on item B."
        wizard.save().action_confirm()
        self.assertEqual(assessment.state, "draft")
        self.assertEqual(assessment.reopen_reason, "Wrong answer on item B.")
        with self.assertRaises(UserError):
            assessment.with_user(self.coordinator_a)._reopen("again")

    def test_cannot_complete_without_answers(self):
        assessment = self._assess(self.weighted)
        with self.assertRaises(UserError):
            assessment.with_user(self.caseworker).action_done()
        external = self._assess(self.external)
        with self.assertRaises(UserError):
            external.with_user(self.caseworker).action_done()

    def test_case_level_trend_and_history(self):
        first = self._assess(self.weighted, ["yes", "no", "no"], date="2026-01-10")
        first.with_user(self.caseworker).action_done()
        self.assertEqual(self.case.risk_level, "standard")
        self.assertFalse(self.case.risk_trend)
        second = self._assess(self.weighted, ["yes", "yes", "no"], date="2026-05-10")
        second.with_user(self.caseworker).action_done()
        self.assertEqual(self.case.risk_level, "high")
        self.assertEqual(self.case.risk_trend, "up")
        self.assertEqual(len(self.case.assessment_ids), 2)

    def test_future_date_and_foreign_person_are_refused(self):
        with self.assertRaises(ValidationError):
            self._assess(self.weighted, date="2026-07-01")
        other = self._create_case()
        with self.assertRaises(ValidationError):
            self._assess(self.weighted, person_id=other.victim_id.id)


class TestVersioning(RiskCommon):
    def test_used_instrument_is_locked_and_versioned(self):
        assessment = self._assess(self.weighted, ["yes", "no", "no"])
        self.assertTrue(self.weighted.is_used)
        with self.assertRaises(UserError):
            self.weighted.item_ids[0].weight = 9
        with self.assertRaises(UserError):
            self.weighted.write(
                {"band_ids": [Command.create({"min_score": 2, "level": "medium"})]}
            )
        with self.assertRaises(UserError):
            self.weighted.item_ids[0].unlink()
        # Wording may still be corrected.
        self.weighted.item_ids[0].text = "A, reworded"
        action = self.weighted.action_new_version()
        new = self.env["dv.risk.instrument"].browse(action["res_id"])
        self.assertEqual(new.version, 2)
        self.assertEqual(len(new.item_ids), 3)
        self.assertFalse(self.weighted.active)
        new.item_ids[0].weight = 9
        self.assertEqual(assessment.instrument_id, self.weighted)
        self.assertEqual(assessment.instrument_version, 1)
        self.assertEqual(assessment.score, 2.5)

    def test_incomplete_instrument_cannot_be_used(self):
        draft = self.env["dv.risk.instrument"].create(
            {"name": "Unfinished", "code": "unfinished", "instrument_type": "checklist"}
        )
        with self.assertRaises(ValidationError):
            self._assess(draft)
        draft.write({"item_ids": [Command.create({"text": "Q"})]})
        with self.assertRaises(ValidationError):
            self._assess(draft)
        with self.assertRaises(ValidationError):
            draft.write(
                {
                    "band_ids": [
                        Command.create({"min_score": 0, "level": "standard"}),
                        Command.create({"min_score": 0, "level": "high"}),
                    ]
                }
            )
        draft.write(
            {"band_ids": [Command.create({"min_score": 0, "level": "standard"})]}
        )
        self.assertEqual(self._assess(draft, ["yes"]).final_level, "standard")

    def test_only_manager_configures_instruments(self):
        with self.assertRaises(AccessError):
            self.weighted.with_user(self.coordinator).write({"name": "X"})
        self.weighted.with_user(self.manager).write({"name": "Renamed"})
        self.assertEqual(self.weighted.with_user(self.statistics).name, "Renamed")


class TestImportExport(RiskCommon):
    def _import(self, content, filename):
        wizard = (
            self.env["dv.risk.import.wizard"]
            .with_user(self.manager)
            .create({"file": base64.b64encode(content), "filename": filename})
        )
        return wizard.action_import()

    def _export(self, instrument, file_format):
        action = getattr(instrument, f"action_export_{file_format}")()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        return self.env["ir.attachment"].browse(attachment_id).raw

    def test_export_and_import_roundtrip_xlsx(self):
        content = self._export(self.weighted, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        self.assertEqual(rows[0][0], "type")
        self.assertEqual(rows[0][4], "instrument_type")
        self.assertEqual(
            rows[1][:4], ["instrument", "weighted_test", "Weighted Test", "1"]
        )
        self.assertEqual(sum(1 for row in rows if row[0] == "item"), 3)
        self.assertEqual(sum(1 for row in rows if row[0] == "band"), 3)
        # Load it again as version 2.
        sheet.cell(row=2, column=4).value = "2"
        buffer = io.BytesIO()
        sheet.parent.save(buffer)
        action = self._import(buffer.getvalue(), "weighted.xlsx")
        new = self.env["dv.risk.instrument"].browse(action["res_id"])
        self.assertEqual((new.version, len(new.item_ids), len(new.band_ids)), (2, 3, 3))
        self.assertEqual(new.item_ids.mapped("weight"), [2.5, 4.0, 1.0])
        self.assertTrue(new.item_ids[2].red_flag)
        self.assertFalse(self.weighted.active)

    def test_import_csv(self):
        text = (
            "type;code;name;version;instrument_type;text;weight;red_flag;"
            "min_score;level\n"
            "instrument;licensed;Licensed Tool;1;weighted;;;;;\n"
            "item;;;;;Question one;3;ja;;\n"
            "item;;;;;Question two;1;nein;;\n"
            "band;;;;;;;;0;standard\n"
            "band;;;;;;;;3;high\n"
        )
        action = self._import(text.encode(), "licensed.csv")
        new = self.env["dv.risk.instrument"].browse(action["res_id"])
        self.assertEqual(new.instrument_type, "weighted")
        self.assertEqual(new.item_ids.mapped("red_flag"), [True, False])

    def test_import_csv_with_old_column_name(self):
        """Files exported before 18.0.1.6.0 name the column ``kind``."""
        text = (
            "type,code,name,version,kind,min_score,level\n"
            "instrument,external_old,Old Export,1,external,,\n"
        )
        action = self._import(text.encode(), "old.csv")
        new = self.env["dv.risk.instrument"].browse(action["res_id"])
        self.assertEqual((new.code, new.instrument_type), ("external_old", "external"))

    def test_export_writes_text_not_formulas(self):
        self.weighted.item_ids[0].text = '=HYPERLINK("http://x")'
        content = self._export(self.weighted, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        cell = sheet.cell(row=3, column=9)
        self.assertEqual(cell.data_type, "s")
        self.assertEqual(cell.value, '=HYPERLINK("http://x")')

    def test_broken_files_are_refused_whole(self):
        count = (
            self.env["dv.risk.instrument"]
            .with_context(active_test=False)
            .search_count([])
        )
        broken = {
            "no_header.csv": b"",
            "bad_rows.csv": (
                b"type,code,name,version,instrument_type,text,weight,red_flag,"
                b"min_score,level\n"
                b"instrument,bad,Bad,1,checklist,,,,,\n"
                b"item,,,,,,x,maybe,,\n"
                b"band,,,,,,,,1,extreme\n"
                b"thing,,,,,,,,,\n"
            ),
            "existing_version.csv": (
                b"type,code,name,version,instrument_type,text,min_score,level\n"
                b"instrument,weighted_test,Again,1,checklist,,,\n"
                b"item,,,,,Q,,\n"
                b"band,,,,,,0,standard\n"
            ),
            "not_a_spreadsheet.xlsx": b"PK\x03\x04 broken",
            "image.png": b"\x89PNG",
        }
        for filename, content in broken.items():
            with self.subTest(filename=filename), self.assertRaises(UserError) as error:
                self._import(content, filename)
            if filename == "bad_rows.csv":
                message = str(error.exception)
                for fragment in ("3", "text", "weight", "red_flag", "level", "5"):
                    self.assertIn(fragment, message)
        self.assertEqual(
            self.env["dv.risk.instrument"]
            .with_context(active_test=False)
            .search_count([]),
            count,
            "nothing was half-created",
        )


class TestEscalationAndAccess(RiskCommon):
    def test_high_risk_case_goes_to_conference(self):
        assessment = self._assess(self.weighted, ["yes", "yes", "no"])
        assessment.with_user(self.caseworker).action_done()
        self.assertTrue(self.case.awaiting_conference)
        activities = self.case.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("dv_case_management.mail_activity_type_conference")
            )
        )
        self.assertEqual(activities.user_id, self.coordinator | self.coordinator_a)
        self.assertIn(
            self.case,
            self.env["dv.case"]
            .with_user(self.coordinator)
            .search([("awaiting_conference", "=", True)]),
        )
        # Once discussed, the case leaves the list.
        self.case.last_conference_date = "2099-01-01"
        self.assertFalse(self.case.awaiting_conference)

    def test_escalating_case_goes_to_conference(self):
        for day in ("2026-01-01", "2026-02-01", "2026-03-01"):
            self.env["dv.incident"].create(
                {"case_id": self.case.id, "date": f"{day} 10:00:00"}
            )
        self.assertTrue(self.case.is_escalating)
        self.assertTrue(self.case.awaiting_conference)

    def test_other_agency_cannot_see_or_assess(self):
        assessment = self._assess(self.weighted, ["yes"])
        for user in (self.caseworker_b, self.coordinator_b, self.statistics):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    assessment.with_user(user).read(["score"])
                with self.assertRaises(AccessError):
                    assessment.answer_ids[0].with_user(user).read(["answer"])
        with self.assertRaises(AccessError):
            self._assess(self.weighted, user=self.caseworker_b)

    def test_network_member_reads_but_does_not_change(self):
        self.env["dv.agency.member"].create(
            {"agency_id": self.agency_a.id, "user_id": self.network.id}
        )
        assessment = self._assess(self.weighted, ["yes"])
        self.assertEqual(assessment.with_user(self.network).score, 2.5)
        with self.assertRaises(AccessError):
            assessment.with_user(self.network).write({"note": "x"})
