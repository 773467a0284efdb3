"""Plain Python helpers of the addon, used by its models, wizards and reports
and tested without Odoo (tests/static)."""
