from . import export
from . import dataset
