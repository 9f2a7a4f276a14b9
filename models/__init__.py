# The numbering mixin first: the models below inherit it.
from . import csc_sequence_mixin  # isort: skip
from . import csc_record_mixin  # isort: skip
from . import csc_workflow_mixin  # isort: skip
from . import csc_record_seal  # isort: skip
from . import csc_record_seal_mixin  # isort: skip
from . import csc_record_jobs  # isort: skip
from . import csc_replan_mixin  # isort: skip
from . import csc_portal_mixin  # isort: skip
from . import account_chart_template
from . import account_move
from . import account_payment
from . import csc_action
from . import csc_complaint
from . import csc_complaint_return
from . import csc_customer_requirement
from . import csc_department
from . import csc_dispatch_policy
from . import csc_eightd
from . import csc_eightd_extra_field
from . import csc_eightd_extra_value
from . import csc_eightd_ishikawa
from . import csc_eightd_lines
from . import csc_eightd_review
from . import csc_eightd_signoff
from . import csc_eightd_why
from . import csc_escalation
from . import csc_escalation_criterion
from . import csc_escalation_inspection
from . import csc_escalation_level
from . import csc_lesson
from . import csc_lot_component
from . import csc_monthly_report
from . import csc_part_loan
from . import csc_part_loan_line
from . import csc_rework_plan
from . import csc_satisfaction_campaign
from . import csc_satisfaction_result
from . import csc_service_expense
from . import csc_service_visit
from . import csc_service_visit_day
from . import csc_service_visit_line
from . import csc_supplier_claim
from . import csc_supplier_claim_cost
from . import csc_supplier_claim_line
from . import csc_visit_plan
from . import csc_visit_plan_line
from . import helpdesk_ticket
from . import helpdesk_ticket_team
from . import ir_actions_report
from . import ir_attachment
from . import ir_module_module
from . import mail_message
from . import product_template
from . import res_company
from . import res_config_settings
from . import res_partner
from . import resource_calendar
from . import sale_order
from . import sale_order_line
from . import stock_location
from . import stock_lot
from . import stock_move
from . import stock_picking
from . import stock_quant
from . import stock_scrap
from . import survey_question
from . import survey_question_answer
from . import survey_user_input

# What each kind of record seals: after the models it extends.
from . import csc_record_seal_kinds  # isort: skip
