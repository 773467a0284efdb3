from . import test_install
from . import test_agency
from . import test_first_contact
from . import test_i18n
