from odoo import api
from odoo import fields
from odoo import models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # -- fields --------------------------------------------------------------------------------

    csc_relay_hours = fields.Float(related="company_id.csc_relay_hours", readonly=False)
    csc_reply_hours = fields.Float(related="company_id.csc_reply_hours", readonly=False)
    csc_investigation_hours = fields.Float(
        related="company_id.csc_investigation_hours", readonly=False
    )
    csc_serious_solve_hours = fields.Float(
        related="company_id.csc_serious_solve_hours", readonly=False
    )
    csc_urgent_days = fields.Integer(related="company_id.csc_urgent_days", readonly=False)
    csc_normal_days = fields.Integer(related="company_id.csc_normal_days", readonly=False)
    csc_resolution_days = fields.Integer(related="company_id.csc_resolution_days", readonly=False)
    csc_complex_resolution_months = fields.Integer(
        related="company_id.csc_complex_resolution_months", readonly=False
    )
    csc_repeat_complaint_months = fields.Integer(
        related="company_id.csc_repeat_complaint_months", readonly=False
    )
    csc_meeting_hours = fields.Float(related="company_id.csc_meeting_hours", readonly=False)
    csc_containment_hours = fields.Float(related="company_id.csc_containment_hours", readonly=False)
    csc_eightd_days = fields.Integer(related="company_id.csc_eightd_days", readonly=False)
    csc_triage_hours = fields.Float(related="company_id.csc_triage_hours", readonly=False)
    csc_paid_departure_hours = fields.Float(
        related="company_id.csc_paid_departure_hours", readonly=False
    )
    csc_trip_report_days = fields.Integer(related="company_id.csc_trip_report_days", readonly=False)
    csc_verification_days = fields.Integer(
        related="company_id.csc_verification_days", readonly=False
    )
    csc_installation_notice_days = fields.Integer(
        related="company_id.csc_installation_notice_days", readonly=False
    )
    csc_followup_days = fields.Integer(related="company_id.csc_followup_days", readonly=False)
    csc_loan_settlement_days = fields.Integer(
        related="company_id.csc_loan_settlement_days", readonly=False
    )
    csc_retention_years = fields.Integer(related="company_id.csc_retention_years", readonly=False)
    csc_partner_brand_uplift = fields.Float(
        related="company_id.csc_partner_brand_uplift", readonly=False
    )
    csc_misuse_part_discount = fields.Float(
        related="company_id.csc_misuse_part_discount", readonly=False
    )
    csc_brand_handling_fee = fields.Float(
        related="company_id.csc_brand_handling_fee", readonly=False
    )
    csc_competitor_margin = fields.Float(related="company_id.csc_competitor_margin", readonly=False)
    csc_onsite_flat = fields.Boolean(related="company_id.csc_onsite_flat", readonly=False)
    csc_onsite_flat_hours = fields.Float(related="company_id.csc_onsite_flat_hours", readonly=False)
    csc_visit_days_key = fields.Integer(related="company_id.csc_visit_days_key", readonly=False)
    csc_visit_days_general = fields.Integer(
        related="company_id.csc_visit_days_general", readonly=False
    )
    csc_visit_days_potential = fields.Integer(
        related="company_id.csc_visit_days_potential", readonly=False
    )
    csc_sales_visit_days_key = fields.Integer(
        related="company_id.csc_sales_visit_days_key", readonly=False
    )
    csc_target_year1 = fields.Float(related="company_id.csc_target_year1", readonly=False)
    csc_target_year2 = fields.Float(related="company_id.csc_target_year2", readonly=False)
    csc_target_year3 = fields.Float(related="company_id.csc_target_year3", readonly=False)
    csc_kpi_timeliness = fields.Float(related="company_id.csc_kpi_timeliness", readonly=False)
    csc_kpi_satisfaction = fields.Float(related="company_id.csc_kpi_satisfaction", readonly=False)
    csc_kpi_service_complaints = fields.Float(
        related="company_id.csc_kpi_service_complaints", readonly=False
    )
    csc_kpi_closed_on_time = fields.Float(
        related="company_id.csc_kpi_closed_on_time", readonly=False
    )
    csc_kpi_days_to_close = fields.Float(related="company_id.csc_kpi_days_to_close", readonly=False)
    csc_kpi_repeat_complaints = fields.Float(
        related="company_id.csc_kpi_repeat_complaints", readonly=False
    )
    csc_kpi_repeat_repairs = fields.Float(
        related="company_id.csc_kpi_repeat_repairs", readonly=False
    )
    csc_repeat_repair_days = fields.Integer(
        related="company_id.csc_repeat_repair_days", readonly=False
    )
    csc_service_survey_id = fields.Many2one(
        related="company_id.csc_service_survey_id", readonly=False
    )
    csc_score_satisfied = fields.Float(related="company_id.csc_score_satisfied", readonly=False)
    csc_score_fairly_satisfied = fields.Float(
        related="company_id.csc_score_fairly_satisfied", readonly=False
    )
    csc_score_average = fields.Float(related="company_id.csc_score_average", readonly=False)
    csc_score_acceptable = fields.Float(related="company_id.csc_score_acceptable", readonly=False)
    csc_weight_pre_service = fields.Float(
        related="company_id.csc_weight_pre_service", readonly=False
    )
    csc_weight_in_service = fields.Float(related="company_id.csc_weight_in_service", readonly=False)
    csc_weight_after_service = fields.Float(
        related="company_id.csc_weight_after_service", readonly=False
    )
    csc_band_qualified = fields.Float(related="company_id.csc_band_qualified", readonly=False)
    csc_band_excellent = fields.Float(related="company_id.csc_band_excellent", readonly=False)
    csc_item_minimum = fields.Float(related="company_id.csc_item_minimum", readonly=False)
    csc_code_customer_file = fields.Char(
        related="company_id.csc_code_customer_file", readonly=False
    )
    csc_code_failure_history = fields.Char(
        related="company_id.csc_code_failure_history", readonly=False
    )
    csc_code_action_record = fields.Char(
        related="company_id.csc_code_action_record", readonly=False
    )
    csc_code_recurrence_report = fields.Char(
        related="company_id.csc_code_recurrence_report", readonly=False
    )
    csc_code_service_report = fields.Char(
        related="company_id.csc_code_service_report", readonly=False
    )
    csc_code_monthly_report = fields.Char(
        related="company_id.csc_code_monthly_report", readonly=False
    )
    csc_code_visit_report = fields.Char(related="company_id.csc_code_visit_report", readonly=False)
    csc_code_quality_feedback = fields.Char(
        related="company_id.csc_code_quality_feedback", readonly=False
    )
    csc_code_satisfaction_survey = fields.Char(
        related="company_id.csc_code_satisfaction_survey", readonly=False
    )
    csc_code_warranty_feedback = fields.Char(
        related="company_id.csc_code_warranty_feedback", readonly=False
    )
    csc_satisfaction_start_year = fields.Integer(
        related="company_id.csc_satisfaction_start_year", readonly=False
    )
    csc_contact_hours = fields.Float(related="company_id.csc_contact_hours", readonly=False)
    csc_remote_distance = fields.Float(related="company_id.csc_remote_distance", readonly=False)
    csc_remote_answer_hours = fields.Float(
        related="company_id.csc_remote_answer_hours", readonly=False
    )
    csc_company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Approval Currency"
    )
    csc_disposition_approval_amount = fields.Monetary(
        related="company_id.csc_disposition_approval_amount",
        readonly=False,
        currency_field="csc_company_currency_id",
    )
    csc_loan_inspection_exempt_cost = fields.Float(
        related="company_id.csc_loan_inspection_exempt_cost", readonly=False
    )

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        """The company's customer-service settings are saved in one write, so that the rules
        across several of them (weights adding up to 100, levels and bands in order) see the
        new values together, not one field at a time."""
        company_values = []
        for vals in vals_list:
            company_values.append(
                {
                    self._fields[name].related.split(".")[1]: vals.pop(name)
                    for name in list(vals)
                    if name.startswith("csc_")
                    and (self._fields[name].related or "").count(".") == 1
                    and self._fields[name].related.startswith("company_id.")
                }
            )
        settings = super().create(vals_list)
        for record, values in zip(settings, company_values, strict=True):
            if values:
                record.company_id.write(values)
        return settings
