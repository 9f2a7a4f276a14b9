from . import (
    csc_customer_requirement,
    csc_department,
    csc_lot_component,
    product_template,
    res_company,
    res_config_settings,
    res_partner,
    stock_lot,
    stock_move,
)
