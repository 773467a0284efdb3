# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl.html).
{
    "name": "Domestic Violence Case Management",
    "summary": "Multi-agency case management for domestic violence and stalking: "
    "agency network, police referrals, risk assessment and case conferences",
    "version": "18.0.1.0.0",
    "category": "Domestic Violence",
    "website": "https://github.com/dv-case-management/dv_case_management",
    "author": "dv_case_management contributors",
    "license": "AGPL-3",
    "application": True,
    "depends": ["mail", "calendar", "contacts", "resource", "report_xlsx"],
    "external_dependencies": {"python": ["xlsxwriter", "holidays"]},
    "data": [
        "security/security.xml",
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/dv_agency_type_data.xml",
        "data/dv_service_data.xml",
        "views/dv_agency_type_views.xml",
        "views/dv_service_views.xml",
        "views/dv_agency_views.xml",
        "views/res_users_views.xml",
        "wizards/dv_holiday_wizard_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/dv_agency_demo.xml",
    ],
}
