from . import dv_agency_type
from . import dv_service
from . import dv_agency
from . import dv_agency_member
from . import res_users
from . import resource_calendar
