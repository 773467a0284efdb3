from . import dv_statistics_xlsx
