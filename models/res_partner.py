from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

CUSTOMER_FILE = "customer_service_control.group_csc_reader"

# Response limits a customer-specific requirement may override (R-A3): name on
# csc.customer.requirement -> company default on res.company.
CSR_LIMITS = {
    "containment_hours": "csc_containment_hours",
    "eightd_days": "csc_eightd_days",
    "urgent_days": "csc_urgent_days",
    "normal_days": "csc_normal_days",
    "resolution_days": "csc_resolution_days",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    # -- fields --------------------------------------------------------------------------------

    # Customer file (R-A1). Confidential: readable by the customer-service groups only.
    csc_customer_type = fields.Selection(
        [("oem", "OEM"), ("dealer", "Dealer"), ("end_user", "End User")],
        "Customer Type",
        tracking=True,
        groups=CUSTOMER_FILE,
    )
    csc_relation_class = fields.Selection(
        [("key", "Key"), ("general", "General"), ("potential", "Potential")],
        "Relationship Class",
        tracking=True,
        groups=CUSTOMER_FILE,
    )
    csc_grade = fields.Selection(
        [("a", "A"), ("b", "B"), ("c", "C")], "Grade", tracking=True, groups=CUSTOMER_FILE
    )
    csc_sales_user_id = fields.Many2one(
        "res.users",
        "Sales Owner",
        domain=[("share", "=", False)],
        tracking=True,
        groups=CUSTOMER_FILE,
    )
    csc_service_user_id = fields.Many2one(
        "res.users",
        "Service Owner",
        domain=[("share", "=", False)],
        tracking=True,
        groups=CUSTOMER_FILE,
    )
    csc_business_scope = fields.Text("Business Scope", groups=CUSTOMER_FILE)
    csc_operating_status = fields.Selection(
        [
            ("normal", "Operating Normally"),
            ("restricted", "Restricted"),
            ("suspended", "Suspended"),
            ("closed", "Closed Down"),
        ],
        "Operating Status",
        tracking=True,
        groups=CUSTOMER_FILE,
    )
    csc_credit_status = fields.Text(
        "Credit Status", groups="customer_service_control.group_csc_user"
    )
    csc_service_commitment = fields.Text("Service Commitments", groups=CUSTOMER_FILE)
    csc_pricelist_id = fields.Many2one(
        "product.pricelist",
        "Agreed Spare-Part Prices",
        help="Prices agreed with this customer for spare parts.",
        groups=CUSTOMER_FILE,
    )
    # The quality contacts agreed on each side (R-C8), shown on the customer's complaints.
    csc_quality_contact_id = fields.Many2one(
        "res.partner",
        "Customer's Quality Contact",
        domain="[('parent_id', '=', id), ('type', '=', 'contact')]",
        tracking=True,
        groups=CUSTOMER_FILE,
        help="Whom the customer named to answer for quality matters: our counterpart on "
        "complaints.",
    )
    csc_quality_user_id = fields.Many2one(
        "res.users",
        "Our Quality Contact",
        domain=[("share", "=", False)],
        tracking=True,
        groups=CUSTOMER_FILE,
        help="Who answers the customer's quality matters on our side.",
    )
    # Visit cycle (R-A2).
    csc_visit_interval = fields.Integer(
        "Visit Interval (days)",
        compute="_compute_csc_visit_interval",
        store=True,
        readonly=False,
        help="Defaults from the relationship class (company settings); 0 means no visit cycle.",
        groups=CUSTOMER_FILE,
    )
    csc_last_visit_date = fields.Date("Last Visit", tracking=True, groups=CUSTOMER_FILE)
    csc_next_visit_date = fields.Date(
        "Next Visit Due",
        compute="_compute_csc_next_visit_date",
        store=True,
        help="Last visit (or, for a customer never visited, the day the customer was created) "
        "plus the visit interval.",
        groups=CUSTOMER_FILE,
    )
    csc_visit_overdue = fields.Boolean(
        "Visit Overdue",
        compute="_compute_csc_visit_overdue",
        search="_search_csc_visit_overdue",
        groups=CUSTOMER_FILE,
    )
    csc_requirement_ids = fields.One2many(
        "csc.customer.requirement", "partner_id", "Specific Requirements", groups=CUSTOMER_FILE
    )
    csc_requirement_count = fields.Integer(
        "Requirements", compute="_compute_csc_counts", groups=CUSTOMER_FILE
    )
    csc_lot_count = fields.Integer(
        "Installed Base", compute="_compute_csc_counts", groups=CUSTOMER_FILE
    )
    csc_complaint_count = fields.Integer(
        "Complaints", compute="_compute_csc_counts", groups=CUSTOMER_FILE
    )
    csc_visit_count = fields.Integer(
        "Service Visits", compute="_compute_csc_counts", groups=CUSTOMER_FILE
    )
    csc_loan_count = fields.Integer(
        "Spare-Part Loans", compute="_compute_csc_counts", groups=CUSTOMER_FILE
    )

    # The customer's PPM over the last 12 months (this month included) against its target
    # (csc.ppm.report), on the customer form.
    csc_ppm_12m = fields.Float(
        "PPM (12 Months)", digits=(16, 1), compute="_compute_csc_ppm", groups=CUSTOMER_FILE
    )
    csc_ppm_12m_zero_km = fields.Float(
        "PPM 0 km (12 Months)", digits=(16, 1), compute="_compute_csc_ppm", groups=CUSTOMER_FILE
    )
    csc_ppm_12m_field = fields.Float(
        "PPM Field (12 Months)", digits=(16, 1), compute="_compute_csc_ppm", groups=CUSTOMER_FILE
    )
    csc_ppm_delivered_12m = fields.Float(
        "Delivered (12 Months)",
        digits="Product Unit of Measure",
        compute="_compute_csc_ppm",
        groups=CUSTOMER_FILE,
    )
    csc_ppm_target = fields.Float(
        "PPM Target",
        digits=(16, 1),
        compute="_compute_csc_ppm",
        groups=CUSTOMER_FILE,
        help="The strictest PPM target of the customer's released specific requirements.",
    )
    csc_ppm_status = fields.Selection(
        [("met", "Target Met"), ("missed", "Target Missed"), ("none", "No Target")],
        "PPM Status",
        compute="_compute_csc_ppm",
        groups=CUSTOMER_FILE,
    )

    # Satisfaction results of the customer (R-H5), for the partner form's smart button.
    csc_satisfaction_count = fields.Integer(
        "Satisfaction Results", compute="_compute_csc_satisfaction_count", groups=CUSTOMER_FILE
    )
    # The customer's escalation status (controlled shipping, new business hold) and its history.
    csc_escalation_id = fields.Many2one(
        "csc.escalation",
        "Escalation Status",
        compute="_compute_csc_escalation",
        groups=CUSTOMER_FILE,
        help="The customer's most severe active escalation status.",
    )
    csc_escalation_count = fields.Integer(
        "Escalations", compute="_compute_csc_escalation", groups=CUSTOMER_FILE
    )

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("csc_relation_class")
    def _compute_csc_visit_interval(self):
        for partner in self:
            company = partner.company_id or self.env.company
            partner.csc_visit_interval = company._csc_visit_interval(partner.csc_relation_class)

    @api.depends("csc_last_visit_date", "csc_visit_interval", "csc_customer_type")
    def _compute_csc_next_visit_date(self):
        for partner in self:
            start = partner.csc_last_visit_date or (
                partner.create_date and partner.create_date.date()
            )
            if partner.csc_customer_type and partner.csc_visit_interval > 0 and start:
                partner.csc_next_visit_date = start + timedelta(days=partner.csc_visit_interval)
            else:
                partner.csc_next_visit_date = False

    @api.depends("csc_next_visit_date")
    def _compute_csc_visit_overdue(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.csc_visit_overdue = bool(
                partner.csc_next_visit_date and partner.csc_next_visit_date < today
            )

    def _search_csc_visit_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on Visit Overdue."))
        overdue = [("csc_next_visit_date", "<", fields.Date.context_today(self))]
        if (operator == "=") == value:
            return overdue
        return ["|", ("csc_next_visit_date", "=", False)] + [
            ("csc_next_visit_date", ">=", fields.Date.context_today(self))
        ]

    def _compute_csc_counts(self):
        counts = {
            name: dict(self.env[model]._read_group([(field, "in", self.ids)], [field], ["__count"]))
            for name, model, field in (
                ("csc_requirement_count", "csc.customer.requirement", "partner_id"),
                ("csc_lot_count", "stock.lot", "csc_partner_id"),
                ("csc_complaint_count", "csc.complaint", "partner_id"),
                ("csc_visit_count", "csc.service.visit", "partner_id"),
                ("csc_loan_count", "csc.part.loan", "partner_id"),
            )
        }
        for partner in self:
            for name, by_partner in counts.items():
                partner[name] = by_partner.get(partner, 0)

    def _compute_csc_satisfaction_count(self):
        counts = dict(
            self.env["csc.satisfaction.result"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.csc_satisfaction_count = counts.get(partner._origin, 0)

    def _compute_csc_escalation(self):
        customers = self.commercial_partner_id._origin
        Escalation = self.env["csc.escalation"]
        active = Escalation._csc_active_for(customers)
        counts = dict(
            Escalation._read_group(
                [("partner_id", "in", customers.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            customer = partner.commercial_partner_id._origin
            current = [e for (c, _company), e in active.items() if c == customer]
            partner.csc_escalation_id = max(
                current, key=lambda e: (e.level_id.sequence, e.id), default=False
            )
            partner.csc_escalation_count = counts.get(customer, 0)

    def _compute_csc_ppm(self):
        """One grouped query on the PPM report for the customers of the batch."""
        start = fields.Date.context_today(self).replace(day=1) - relativedelta(months=11)
        Ppm = self.env["csc.ppm.report"]
        commercial = self.commercial_partner_id
        figures = {
            row["partner_id"]: row
            for row in Ppm._ppm_figures(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                    ("month", ">=", start),
                ],
                ["partner_id"],
            )
        }
        for partner in self:
            customer = partner.commercial_partner_id
            row = figures.get(customer)
            targets = customer._csc_ppm_targets()
            met = row and Ppm._ppm_met(row["delivered"], row["zero_km"], row["field"], targets)
            if row is None and any(targets.values()):
                met = True  # nothing delivered, nothing complained
            partner.csc_ppm_12m = row and row["ppm_total"] or 0.0
            partner.csc_ppm_12m_zero_km = row and row["ppm_zero_km"] or 0.0
            partner.csc_ppm_12m_field = row and row["ppm_field"] or 0.0
            partner.csc_ppm_delivered_12m = row["delivered"] if row else 0.0
            partner.csc_ppm_target = targets["total"]
            partner.csc_ppm_status = "none" if met is None else ("met" if met else "missed")

    # -- constraints ---------------------------------------------------------------------------

    @api.constrains("csc_quality_contact_id")
    def _check_csc_quality_contact_id(self):
        for partner in self.sudo().filtered("csc_quality_contact_id"):
            contact = partner.csc_quality_contact_id
            if contact.commercial_partner_id != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s: the customer's quality "
                        "contact is one of its own people.",
                        contact=contact.display_name,
                        customer=partner.display_name,
                    )
                )

    # -- actions -------------------------------------------------------------------------------

    def action_csc_open_requirements(self):
        return self._csc_action_for_customer(
            "customer_service_control.csc_customer_requirement_action", "partner_id"
        )

    def action_csc_open_installed_base(self):
        return self._csc_action_for_customer(
            "customer_service_control.csc_installed_base_action", "csc_partner_id"
        )

    def action_csc_open_complaints(self):
        return self._csc_action_for_customer(
            "customer_service_control.csc_complaint_action", "partner_id"
        )

    def action_csc_open_visits(self):
        return self._csc_action_for_customer(
            "customer_service_control.csc_service_visit_action", "partner_id"
        )

    def action_csc_open_loans(self):
        return self._csc_action_for_customer(
            "customer_service_control.csc_part_loan_action", "partner_id"
        )

    def action_csc_open_escalations(self):
        return self.commercial_partner_id._csc_action_for_customer(
            "customer_service_control.csc_escalation_action", "partner_id"
        )

    def action_csc_open_ppm(self):
        """The customer's PPM scorecard, by month."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_service_control.csc_ppm_report_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_last_12_months": 1}
        return action

    def action_csc_open_satisfaction(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "customer_service_control.csc_satisfaction_result_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_by_date": 1}
        return action

    # -- business helpers ----------------------------------------------------------------------

    def _csc_action_for_customer(self, xmlid, customer_field):
        """The window action `xmlid` restricted to this customer's records, which are linked to
        the customer by `customer_field`; new records get the customer."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [(customer_field, "=", self.id)]
        action["context"] = {f"default_{customer_field}": self.id}
        return action

    def _csc_survey_contact(self):
        """Who gets a satisfaction questionnaire for this customer or contact: the contact
        itself if it has an e-mail, else its company, else the company's first contact with
        one (empty when nobody can be reached by e-mail)."""
        self.ensure_one()
        if self.email:
            return self
        customer = self.commercial_partner_id
        if customer.email:
            return customer
        return customer.child_ids.filtered("email")[:1]

    def _csc_response_limits(self, company=None):
        """The response limits that apply to this customer's complaints: for each limit, the
        strictest override of the customer's released requirements, else the company default."""
        self.ensure_one()
        company = company or self.company_id or self.env.company
        requirements = self.commercial_partner_id.sudo().csc_requirement_ids.filtered(
            lambda r: r.state == "released" and r.company_id in (company, self.env["res.company"])
        )
        limits = {"overridden": set()}
        for name, company_field in CSR_LIMITS.items():
            overrides = [value for value in requirements.mapped(name) if value > 0]
            limits[name] = min(overrides) if overrides else company[company_field]
            if overrides:
                limits["overridden"].add(name)
        return limits

    def _csc_ppm_targets(self, company=None):
        """The PPM targets of this customer (total, zero_km, field; 0: none): for each, the
        strictest positive target of the customer's released requirements, as the PPM report
        reads them."""
        self.ensure_one()
        company = company or self.env.company
        requirements = self.commercial_partner_id.sudo().csc_requirement_ids.filtered(
            lambda r: r.state == "released" and r.company_id == company
        )
        targets = {}
        for key, name in (
            ("total", "ppm_target"),
            ("zero_km", "ppm_target_zero_km"),
            ("field", "ppm_target_field"),
        ):
            values = [value for value in requirements.mapped(name) if value > 0]
            targets[key] = min(values) if values else 0.0
        return targets

    @api.model
    def _csc_first_deliveries(self, today):
        """{customer: the first delivery of a unit still under warranty on `today`}."""
        first_deliveries = dict(
            self.env["stock.lot"]._read_group(
                [
                    ("csc_partner_id", "!=", False),
                    ("csc_delivery_date", "!=", False),
                    ("csc_warranty_end", ">=", today),
                ],
                ["csc_partner_id"],
                ["csc_delivery_date:min"],
            )
        )
        delivered = {}
        for partner, day in first_deliveries.items():
            customer = partner.commercial_partner_id
            delivered[customer] = min(day, delivered.get(customer, day))
        return delivered

    def _csc_followups(self, activity_type):
        """({customer id: date of the last follow-up done}, {customer ids with one open})."""
        done = dict(
            self.env["mail.message"]._read_group(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", self.ids),
                    ("mail_activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
                ["date:max"],
            )
        )
        open_ones = set(
            self.env["mail.activity"]
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
            .mapped("res_id")
        )
        return done, open_ones

    # -- crons ---------------------------------------------------------------------------------

    @api.model
    def _cron_phone_followup(self):
        """After delivery, the sales owner phones the customer every quarter (R-E8): an
        activity when the company's follow-up interval has passed since the last follow-up
        done, or since the first delivery of a unit still under warranty. Once per due date."""
        activity_type = self.env.ref("customer_service_control.mail_activity_type_csc_followup")
        today = fields.Date.context_today(self)
        delivered = self._csc_first_deliveries(today)
        customers = self.browse().union(*delivered).filtered("csc_sales_user_id")
        if not customers:
            return
        done, open_ones = customers._csc_followups(activity_type)
        for customer in customers:
            if customer.id in open_ones:
                continue
            last = (
                fields.Date.to_date(done[customer.id])
                if customer.id in done
                else delivered[customer]
            )
            company = customer.company_id or self.env.company
            due = last + timedelta(days=company.csc_followup_days)
            if due <= today:
                customer.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=due,
                    user_id=customer.csc_sales_user_id.id,
                )
