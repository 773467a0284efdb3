"""pytest plugin loaded by scripts/test (``-p pytest_odoo_quiet``): import
Odoo's test framework in test mode before pytest-odoo does, so that its
import does not log a false "Importing test framework" error."""

from odoo.tools import config

_test_enable = config["test_enable"]
config["test_enable"] = True
import odoo.tests  # noqa: E402, F401

config["test_enable"] = _test_enable
