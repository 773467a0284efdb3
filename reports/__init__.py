from . import dv_case_exports_xlsx
from . import dv_statistics_xlsx
from . import dv_capacity_xlsx
