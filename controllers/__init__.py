from . import portal
from . import supplier_claim_portal
