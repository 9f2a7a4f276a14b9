from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

# Satisfaction scoring settings (R-H3), the answer levels from the highest to the lowest.
SCORE_LEVELS = (
    "csc_score_satisfied",
    "csc_score_fairly_satisfied",
    "csc_score_average",
    "csc_score_acceptable",
)
PHASE_WEIGHTS = ("csc_weight_pre_service", "csc_weight_in_service", "csc_weight_after_service")
BANDS = ("csc_band_qualified", "csc_band_excellent")
# Target rates (R-H2), in %.
TARGETS = (
    "csc_target_year1",
    "csc_target_year2",
    "csc_target_year3",
    "csc_kpi_timeliness",
    "csc_kpi_satisfaction",
    "csc_kpi_service_complaints",
    "csc_kpi_closed_on_time",
    "csc_kpi_repeat_complaints",
    "csc_kpi_repeat_repairs",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    # -- fields --------------------------------------------------------------------------------

    # Intake and response commitments (R-B1, R-B3), in working hours of the company calendar.
    csc_relay_hours = fields.Float(
        "Relay to Service Desk (working hours)",
        default=4.0,
        help="Whoever receives customer information passes it to the desk within this time.",
    )
    csc_reply_hours = fields.Float(
        "Reply to Consultations (working hours)",
        default=8.0,
        help="Consultations, calls and letters are answered within this time.",
    )
    csc_investigation_hours = fields.Float(
        "Complaint Investigation Started (hours)",
        default=48.0,
        help="Someone is sent to, or written to, the customer within this time.",
    )
    csc_serious_solve_hours = fields.Float("Serious Problem Solved (hours)", default=24.0)

    # Complaints and 8D (R-C2, R-C3, 8D timing); overridable per customer by CSR.
    csc_urgent_days = fields.Integer("Urgent Complaint Handled (days)", default=2)
    csc_normal_days = fields.Integer("Normal Complaint Handled (days)", default=7)
    csc_resolution_days = fields.Integer("General Problem Resolved (working days)", default=15)
    csc_complex_resolution_months = fields.Integer(
        "Complex Problem Resolved (months)",
        default=1,
        help="Calendar months from receipt, landing on a working moment of the company's calendar.",
    )
    csc_repeat_complaint_months = fields.Integer(
        "Repeat-Complaint Window (months)",
        default=12,
        help="A complaint of the same customer, product and cause received within this many months "
        "of an earlier one is a repeat of it (R-C10).",
    )
    csc_meeting_hours = fields.Float("Responsibility Meeting Called (hours)", default=4.0)
    csc_containment_hours = fields.Float("Containment (D3) Due (hours)", default=24.0)
    csc_eightd_days = fields.Integer("Complete 8D Report Due (days)", default=10)

    # Field service, warranty and spare parts (R-D4, R-E1..E8, R-F4).
    csc_triage_hours = fields.Float("Triage and Solution (working hours)", default=8.0)
    csc_paid_departure_hours = fields.Float(
        "Departure After Cost Confirmed (hours)",
        default=24.0,
        help="Out of warranty, the technician departs within this time after the customer "
        "confirms the cost.",
    )
    csc_trip_report_days = fields.Integer("Trip Report Due (working days)", default=3)
    csc_verification_days = fields.Integer("Manager Verification Due (working days)", default=5)
    csc_installation_notice_days = fields.Integer("Installation Planned Ahead (days)", default=7)
    csc_followup_days = fields.Integer("Phone Follow-up Interval (days)", default=90)
    csc_loan_settlement_days = fields.Integer("Loan Settled Within (days)", default=3)
    # Sealed records and their files are kept this long from their seal (IATF 16949 7.5.3).
    csc_retention_years = fields.Integer(
        "Record Retention (years)",
        default=5,
        help="Finished, sealed records and their attachments cannot be deleted or archived "
        "before this many years have passed since their seal.",
    )
    csc_partner_brand_uplift = fields.Float("Partner-Brand Part Price Uplift (%)", default=10.0)
    csc_misuse_part_discount = fields.Float(
        "Part Discount for Misuse in Warranty (%)",
        default=20.0,
        help="Misuse within the warranty period: paid service, parts at this discount. The "
        "procedure does not fix the rate; 20 % is this addon's default.",
    )
    csc_brand_handling_fee = fields.Float(
        "Handling Fee on Partner-Brand Parts (%)",
        default=10.0,
        help="Parts the partner brand supplies for a warranty service are invoiced to the brand "
        "at this share of their value (seed 002 5.2.2.3).",
    )
    csc_competitor_margin = fields.Float(
        "Minimum Margin on Competitor Service (%)",
        default=20.0,
        help="A paid service on a competitor's product is quoted at least this much above its "
        "cost (seed 002 5.2.3.2).",
    )
    csc_onsite_flat = fields.Boolean(
        "Flat On-Site Time for Quality Problems",
        help="Quality problems (repairs, line-side services, visits for a complaint) are on site "
        "within a flat time instead of the distance table (seed 000 4.2.2).",
    )
    csc_onsite_flat_hours = fields.Float("Flat On-Site Time (hours)", default=8.0)

    # Visit cycle (R-A2, R-G1).
    csc_visit_days_key = fields.Integer("Visit Interval, Key Customers (days)", default=182)
    csc_visit_days_general = fields.Integer("Visit Interval, General Customers (days)", default=365)
    csc_visit_days_potential = fields.Integer(
        "Visit Interval, Potential Customers (days)", default=365
    )
    csc_sales_visit_days_key = fields.Integer(
        "Sales Visit Interval, Key Accounts (days)", default=30
    )

    # Satisfaction targets and KPIs (R-H2).
    csc_target_year1 = fields.Float("Satisfaction Target, Year 1 (%)", default=95.0)
    csc_target_year2 = fields.Float("Satisfaction Target, Year 2 (%)", default=97.0)
    csc_target_year3 = fields.Float("Satisfaction Target, Year 3 (%)", default=98.0)
    csc_satisfaction_start_year = fields.Integer(
        "Satisfaction Programme Start Year",
        help="Calendar year of the first satisfaction campaign: a campaign whose period starts "
        "in this year is measured against the year 1 target, the next year against year 2, and "
        "every later year against year 3. Empty: year 1 target.",
    )
    csc_kpi_timeliness = fields.Float("Service Timeliness Target (%)", default=90.0)
    csc_kpi_satisfaction = fields.Float("Service Satisfaction Target (%)", default=85.0)
    csc_kpi_service_complaints = fields.Float(
        "Complaints Caused by Service, Maximum (%)", default=3.0
    )
    csc_kpi_closed_on_time = fields.Float(
        "Complaints Closed on Time Target (%)",
        default=90.0,
        help="Share of the month's closed complaints closed by their resolution deadline.",
    )
    csc_kpi_days_to_close = fields.Float("Mean Days to Close a Complaint, Maximum", default=15.0)
    csc_kpi_repeat_complaints = fields.Float("Repeat Complaints, Maximum (%)", default=5.0)
    csc_kpi_repeat_repairs = fields.Float(
        "Repeat Repairs, Maximum (%)",
        default=5.0,
        help="Share of a technician's field repairs after which the same unit needed another "
        "repair within the repeat-repair window.",
    )
    csc_repeat_repair_days = fields.Integer(
        "Repeat-Repair Window (days)",
        default=90,
        help="A field repair of a unit repaired less than this many days before counts as a "
        "repeat repair of the earlier visit (the same problem repaired twice).",
    )
    csc_service_survey_id = fields.Many2one(
        "survey.survey",
        "Survey After Each Field Service",
        default=lambda self: self.env.ref(
            "customer_service_control.csc_service_survey", raise_if_not_found=False
        ),
        help="Sent to the customer's contact when a field service is signed off; its answers "
        "are scored like a campaign's. Empty: no survey is sent.",
    )

    # Satisfaction scoring rule (R-H3).
    csc_score_satisfied = fields.Float("Satisfied (% of points)", default=100.0)
    csc_score_fairly_satisfied = fields.Float("Fairly Satisfied (% of points)", default=90.0)
    csc_score_average = fields.Float("Average (% of points)", default=70.0)
    csc_score_acceptable = fields.Float("Acceptable (% of points)", default=50.0)
    csc_weight_pre_service = fields.Float("Pre-Service Weight", default=20.0)
    csc_weight_in_service = fields.Float("In-Service Weight", default=50.0)
    csc_weight_after_service = fields.Float("After-Service Weight", default=30.0)
    csc_band_qualified = fields.Float("Qualified From (points)", default=70.0)
    csc_band_excellent = fields.Float("Excellent Above (points)", default=90.0)
    csc_item_minimum = fields.Float("Satisfied Needs Every Item At Least (points)", default=80.0)

    # Record codes printed on the forms (R-I5).
    csc_code_customer_file = fields.Char("Customer File", default="Q/JL081301-C")
    csc_code_failure_history = fields.Char("Product Failure History", default="Q/JL081302-C")
    csc_code_action_record = fields.Char(
        "Corrective/Preventive Action Record", default="Q/JL060301-C"
    )
    csc_code_recurrence_report = fields.Char("Recurrence Prevention Report", default="Q/JL081303-C")
    csc_code_service_report = fields.Char("Field Service Report", default="Q/JL081304-C")
    csc_code_monthly_report = fields.Char("Monthly Service Report", default="Q/JL081305-C")
    csc_code_visit_report = fields.Char("Visit Report", default="Q/JL081306-C")
    csc_code_quality_feedback = fields.Char("Quality Information Feedback", default="Q/JL090201-C")
    csc_code_satisfaction_survey = fields.Char("Satisfaction Survey", default="Q/JL090101-C")
    csc_code_warranty_feedback = fields.Char(
        "Defective (Warranty) Part Feedback", default="Q/JL100101-C"
    )
    # Promises of the intake (seed 002 7.1.3, 3.2.2).
    csc_contact_hours = fields.Float(
        "Service Request Contacted (working hours)",
        default=4.0,
        help="The desk contacts the customer within this time of receiving a service request or "
        "a consultation.",
    )
    csc_remote_distance = fields.Float(
        "Remote Customer Beyond (km)",
        default=100.0,
        help="A complaint of a customer farther away is answered within the remote answer time "
        "instead of the investigation time.",
    )
    csc_remote_answer_hours = fields.Float(
        "Remote or Supplier Complaint Answered (hours)",
        default=12.0,
        help="A complaint of a remote customer, or one a supplier must be involved in, is "
        "answered within this time (around the clock).",
    )
    # Nonconforming product (R-D1, R-F4, issue 21).
    csc_disposition_approval_amount = fields.Monetary(
        "Refund/Replacement Approval Above",
        currency_field="currency_id",
        help="A refund or a replacement worth more than this (returned quantity at the price "
        "the customer paid: its invoice, else the sales price) is executed only once the general "
        "manager approved it. Zero: always approved.",
    )
    csc_loan_inspection_exempt_cost = fields.Float(
        "Unused Loan Parts Exempt up to Cost",
        digits="Product Price",
        help="Unused loaned parts come back through quality inspection, except low-value parts "
        "whose cost is at most this. Zero: every part is inspected.",
    )

    # -- constraints and onchanges -------------------------------------------------------------

    @api.constrains("csc_weight_pre_service", "csc_weight_in_service", "csc_weight_after_service")
    def _check_csc_phase_weights(self):
        for company in self:
            total = (
                company.csc_weight_pre_service
                + company.csc_weight_in_service
                + company.csc_weight_after_service
            )
            if round(total, 2) != 100.0:
                raise ValidationError(
                    self.env._(
                        "The satisfaction phase weights must add up to 100 (they add up to %s).",
                        total,
                    )
                )

    @api.constrains(*SCORE_LEVELS, *PHASE_WEIGHTS, *BANDS, "csc_item_minimum", *TARGETS)
    def _check_csc_satisfaction_settings(self):
        """R-H2 / R-H3 settings a score can be computed with, each rule with its own message
        (checked before the generic `_check_csc_settings`: constraints run in name order)."""
        for company in self:
            error = company._csc_scoring_settings_error() or company._csc_band_settings_error()
            if error:
                raise ValidationError(error)

    @api.constrains(lambda self: [name for name in self._fields if name.startswith("csc_")])
    def _check_csc_settings(self):
        """Durations, counts and amounts are not negative; percentages and points lie within
        0-100."""
        for company in self:
            for name, field in company._fields.items():
                if not name.startswith("csc_") or field.type not in (
                    "float",
                    "integer",
                    "monetary",
                ):
                    continue
                value = company[name]
                label = field._description_string(self.env)
                if value < 0:
                    raise ValidationError(self.env._("%s cannot be negative.", label))
                percent = (
                    "(%)" in field.string or "points" in field.string or "Weight" in (field.string)
                )
                if percent and value > 100:
                    raise ValidationError(self.env._("%s must lie between 0 and 100.", label))

    @api.constrains("csc_retention_years")
    def _check_csc_retention_years(self):
        for company in self:
            if company.csc_retention_years < 1:
                raise ValidationError(self.env._("Sealed records are kept for one year at least."))

    # -- business helpers ----------------------------------------------------------------------

    def _csc_setting_label(self, name):
        return self._fields[name]._description_string(self.env)

    def _csc_scoring_settings_error(self):
        """The first rule of the answer levels and phase weights (R-H3) this company breaks, as
        a message (None when they are right)."""
        self.ensure_one()
        label = self._csc_setting_label
        for name in SCORE_LEVELS:
            if not 0 <= self[name] <= 100:
                return self.env._(
                    "%(level)s is %(value)s: an answer level scores between 0 and 100 %% of "
                    "the item's points.",
                    level=label(name),
                    value=self[name],
                )
        for higher, lower in zip(SCORE_LEVELS, SCORE_LEVELS[1:], strict=False):
            if self[higher] < self[lower]:
                return self.env._(
                    "The answer levels score in order (satisfied ≥ fairly satisfied ≥ average ≥ "
                    "acceptable): %(higher)s (%(high)s) is below %(lower)s (%(low)s).",
                    higher=label(higher),
                    high=self[higher],
                    lower=label(lower),
                    low=self[lower],
                )
        for name in PHASE_WEIGHTS:
            if self[name] < 0:
                return self.env._(
                    "%(weight)s is %(value)s: a phase weight cannot be negative.",
                    weight=label(name),
                    value=self[name],
                )
        return None

    def _csc_band_settings_error(self):
        """The first rule of the bands, item minimum (R-H3) and target rates (R-H2) this
        company breaks, as a message (None when they are right)."""
        self.ensure_one()

        def outside(value):
            return value < 0 or value > 100

        qualified, excellent = self.csc_band_qualified, self.csc_band_excellent
        if outside(qualified) or outside(excellent) or qualified > excellent:
            return self.env._(
                "The score bands must satisfy 0 ≤ qualified from (%(qualified)s) ≤ excellent "
                "above (%(excellent)s) ≤ 100.",
                qualified=qualified,
                excellent=excellent,
            )
        if outside(self.csc_item_minimum):
            return self.env._(
                "The item minimum for a satisfied customer is %(value)s: it lies between 0 and "
                "100 points.",
                value=self.csc_item_minimum,
            )
        for name in TARGETS:
            if outside(self[name]):
                return self.env._(
                    "%(target)s is %(value)s: a target rate lies between 0 and 100 %%.",
                    target=self._csc_setting_label(name),
                    value=self[name],
                )
        return None

    def _csc_users(self, group_xmlid):
        """The people of this company who hold a role: active internal users of the group, never
        the superuser nor the administrator account (which hold every role technically)."""
        self.ensure_one()
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        return self.env.ref(group_xmlid).users.filtered(
            lambda user: self in user.company_ids
            and user.active
            and not user.share
            and not user._is_superuser()
            and user != admin
        )

    def _csc_service_managers(self):
        """The service managers of the company: those who hold that role, not the general
        managers above them (who get escalations), unless nobody else does."""
        managers = self._csc_users("customer_service_control.group_csc_manager")
        general = self._csc_users("customer_service_control.group_csc_general_manager")
        return (managers - general) or managers

    def _csc_calendar(self):
        """The working calendar the procedure's deadlines are planned on: the company's, else
        Odoo's standard 40-hour week (a company created without a calendar still works)."""
        self.ensure_one()
        calendar = self.resource_calendar_id or self.env.ref(
            "resource.resource_calendar_std", raise_if_not_found=False
        )
        if not calendar:
            raise UserError(
                self.env._("Set the working hours of %s (Settings → Companies).", self.name)
            )
        return calendar.sudo()

    def _csc_visit_interval(self, relation_class):
        """Default visit interval in days for a relationship class (R-A2)."""
        self.ensure_one()
        return {
            "key": self.csc_visit_days_key,
            "general": self.csc_visit_days_general,
            "potential": self.csc_visit_days_potential,
        }.get(relation_class, 0)

    def _csc_satisfaction_target(self, programme_year):
        """Target satisfaction rate (%) for year 1, 2 or 3 (and later) of the programme (R-H2)."""
        self.ensure_one()
        if programme_year <= 1:
            return self.csc_target_year1
        if programme_year == 2:
            return self.csc_target_year2
        return self.csc_target_year3
