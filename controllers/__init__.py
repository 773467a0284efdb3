from . import export
from . import dataset
from . import home
