from . import test_access
from . import test_customer_file
from . import test_customer_requirement
from . import test_demo
from . import test_i18n
from . import test_product_file
from . import test_settings_and_reports
from . import test_ui
