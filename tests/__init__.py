from . import test_install
from . import test_agency
from . import test_first_contact
from . import test_i18n
from . import test_case
from . import test_referral
from . import test_referral_intake
from . import test_risk
