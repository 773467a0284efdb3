from itertools import pairwise

from odoo.tests import TransactionCase, new_test_user, tagged

from .common import GROUP


# After the installation: Odoo's own runner runs at_install tests before it
# marks the module installed.
@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_agency_types_shipped(self):
        codes = set(self.env["dv.agency.type"].search([]).mapped("code"))
        expected = {
            "police",
            "intake_office",
            "counselling",
            "shelter",
            "youth_welfare",
            "perpetrator_programme",
            "victim_support",
            "prosecutor",
            "family_court",
            "health",
            "migrant_counselling",
            "equality_office",
            "other",
        }
        self.assertLessEqual(expected, codes)
        police = self.env.ref("dv_case_management.agency_type_police")
        self.assertTrue(police.is_police)
        intake = self.env.ref("dv_case_management.agency_type_intake_office")
        self.assertTrue(intake.is_intake_office)

    def test_groups_imply_each_other(self):
        chain = ["statistics", "network", "caseworker", "coordinator", "manager"]
        groups = [self.env.ref(f"dv_case_management.group_dv_{name}") for name in chain]
        category = self.env.ref("dv_case_management.module_category_dv")
        for lower, higher in pairwise(groups):
            self.assertIn(lower, higher.implied_ids)
            self.assertEqual(higher.category_id, category)
        self.assertIn(self.env.ref("base.group_user"), groups[0].implied_ids)
        self.assertIn(self.env.ref("base.user_admin"), groups[-1].users)

    def test_application_and_menus(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "dv_case_management")]
        )
        self.assertEqual(module.state, "installed")
        self.assertTrue(module.application)
        root = self.env.ref("dv_case_management.dv_root_menu")
        self.assertFalse(root.parent_id)
        self.assertTrue(root.web_icon)
        config = self.env.ref("dv_case_management.dv_config_menu")
        self.assertEqual(config.parent_id, root)

    def test_views_render_for_every_role(self):
        """Every view of the addon loads for the roles that may open it."""
        for role in ("statistics", "network", "caseworker", "coordinator", "manager"):
            user = new_test_user(self.env, login=f"views_{role}", groups=GROUP % role)
            for model in ("dv.agency", "dv.agency.type", "dv.service"):
                views = (
                    self.env[model]
                    .with_user(user)
                    .get_views([(False, "list"), (False, "form"), (False, "search")])
                )
                self.assertIn("list", views["views"])
        coordinator = self.env["res.users"].search(
            [("login", "=", "views_coordinator")]
        )
        views = (
            self.env["dv.agency"]
            .with_user(coordinator)
            .get_views([(False, "kanban"), (False, "form")])
        )
        self.assertIn("member_ids", views["views"]["form"]["arch"])
