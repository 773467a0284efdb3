from . import dv_holiday_wizard
