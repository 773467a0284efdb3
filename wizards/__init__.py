from . import dv_holiday_wizard
from . import dv_case_close_wizard
from . import dv_risk_wizards
from . import dv_break_glass_wizard
from . import dv_erasure_wizards
from . import dv_person_mail_wizard
from . import dv_statistics_wizard
from . import dv_share_reject_wizard
