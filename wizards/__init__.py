from . import dv_holiday_wizard
from . import dv_case_close_wizard
from . import dv_risk_wizards
