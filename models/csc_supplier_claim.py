import base64
from datetime import timedelta

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError

QUALITY = "customer_service_control.group_csc_quality"
CLERK = "customer_service_control.group_csc_stock_clerk"
# How long the supplier has to confirm its containment, and to send its 8D report, counted in
# calendar days from the day the claim is sent (unless the claim gives other dates).
ANSWER_DAYS = 3
EIGHTD_DAYS = 14
# The lines and costs of a claim change until the supplier's recovery is agreed.
EDITABLE_STATES = ("draft", "sent", "answered")
SEND_TEMPLATE = "customer_service_control.mail_template_csc_supplier_claim"
CLAIM_REPORT = "customer_service_control.csc_supplier_claim_report"


class CscSupplierClaim(models.Model):
    """A claim on the supplier responsible for a complaint (IATF 16949 10.2.5, 8.4): the
    defective parts and the external failure costs carried over from the complaint, the
    supplier's containment and 8D report asked and answered on the portal, the parts shipped
    back to the supplier and the amount recovered with a vendor credit note."""

    _name = "csc.supplier.claim"
    _description = "Supplier Claim"
    _check_company_auto = True
    _inherit = [
        "csc.sequence.mixin",
        "csc.workflow.mixin",
        "csc.portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _csc_guarded_fields = frozenset(
        {
            "state",
            "date_sent",
            "date_acknowledged",
            "date_answered",
            "supplier_containment",
            "supplier_root_cause",
            "supplier_actions",
            "eightd_attachment_id",
            "date_accepted",
            "accepted_by_id",
            "date_closed",
            "picking_ids",
        }
    )
    _csc_locked_states = ("closed", "cancelled")
    _csc_reason_methods = frozenset({"_csc_reopen", "_csc_reject_answer", "_csc_cancel"})
    # What the supplier's contacts read on the portal: never the complaint (its customer), the
    # owner or the internal notes.
    _csc_portal_fields = frozenset(
        {
            "description",
            "date_sent",
            "date_answer_due",
            "date_eightd_due",
            "date_acknowledged",
            "date_answered",
            "supplier_containment",
            "supplier_root_cause",
            "supplier_actions",
            "line_ids",
            "cost_ids",
            "currency_id",
            "amount_parts",
            "amount_costs",
            "amount_claimed",
            "is_overdue",
        }
    )

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char("Number", readonly=True, copy=False, default="/", index="trigram")
    complaint_id = fields.Many2one(
        "csc.complaint", required=True, index=True, tracking=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Supplier",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        "Supplier Contact",
        domain="[('parent_id', '=', partner_id)]",
        tracking=True,
        check_company=True,
        help="Who receives the claim and answers it on the portal.",
    )
    user_id = fields.Many2one(
        "res.users",
        "Owner",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
        help="The quality engineer who follows the claim with the supplier.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("answered", "8D Received"),
            ("accepted", "Recovery Agreed"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    description = fields.Text(
        "Nonconformity", tracking=True, help="What the supplier's parts did wrong, as it is sent."
    )
    date_sent = fields.Datetime("Sent On", readonly=True, copy=False, tracking=True)
    date_answer_due = fields.Date(
        "Containment Due",
        tracking=True,
        help="The supplier confirms its containment by this day (the day sent + 3 unless set).",
    )
    date_eightd_due = fields.Date(
        "8D Due",
        tracking=True,
        help="The supplier sends its 8D report by this day (the day sent + 14 unless set).",
    )
    date_acknowledged = fields.Datetime(
        "Containment Confirmed On", readonly=True, copy=False, tracking=True
    )
    supplier_containment = fields.Text("Supplier's Containment", readonly=True, copy=False)
    date_answered = fields.Datetime("8D Received On", readonly=True, copy=False, tracking=True)
    supplier_root_cause = fields.Text("Supplier's Root Cause", readonly=True, copy=False)
    supplier_actions = fields.Text("Supplier's Corrective Actions", readonly=True, copy=False)
    eightd_attachment_id = fields.Many2one(
        "ir.attachment", "Supplier's 8D Report", readonly=True, copy=False
    )
    is_overdue = fields.Boolean(
        "Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    date_accepted = fields.Datetime("Agreed On", readonly=True, copy=False, tracking=True)
    accepted_by_id = fields.Many2one("res.users", "Agreed By", readonly=True, copy=False)
    date_closed = fields.Datetime("Closed On", readonly=True, copy=False, tracking=True)
    line_ids = fields.One2many("csc.supplier.claim.line", "claim_id", "Parts", copy=True)
    cost_ids = fields.One2many("csc.supplier.claim.cost", "claim_id", "Costs", copy=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_parts = fields.Monetary("Parts Amount", compute="_compute_amounts", store=True)
    amount_costs = fields.Monetary("Failure Costs", compute="_compute_amounts", store=True)
    amount_claimed = fields.Monetary("Claimed", compute="_compute_amounts", store=True)
    amount_recovered = fields.Monetary(
        "Recovered",
        compute="_compute_recovery",
        help="The untaxed amount of the posted vendor credit notes of the claim.",
    )
    recovery_status = fields.Selection(
        [("none", "None"), ("draft", "To Post"), ("posted", "Posted")],
        compute="_compute_recovery",
    )
    move_ids = fields.One2many(
        "account.move",
        "csc_supplier_claim_id",
        "Vendor Credit Notes",
        readonly=True,
        groups="account.group_account_invoice",
    )
    picking_ids = fields.Many2many(
        "stock.picking",
        string="Returns to the Supplier",
        readonly=True,
        copy=False,
        groups="stock.group_stock_user",
    )
    return_status = fields.Selection(
        [("none", "Nothing to Return"), ("to_ship", "To Ship"), ("shipped", "Shipped")],
        compute="_compute_return_status",
    )
    active = fields.Boolean(default=True)

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "Supplier claim numbers are unique."),
    ]

    # -- computes ------------------------------------------------------------------------------

    def _compute_access_url(self):
        for claim in self:
            claim.access_url = f"/my/supplier-claims/{claim.id}"

    @api.depends("line_ids.subtotal", "cost_ids.amount")
    def _compute_amounts(self):
        for claim in self:
            claim.amount_parts = sum(claim.line_ids.mapped("subtotal"))
            claim.amount_costs = sum(claim.cost_ids.mapped("amount"))
            claim.amount_claimed = claim.amount_parts + claim.amount_costs

    @api.depends("move_ids.state", "move_ids.amount_untaxed")
    def _compute_recovery(self):
        # sudo: quality follows the recovery; finance owns the vendor credit notes
        for claim in self:
            moves = claim.sudo().move_ids.filtered(lambda m: m.state != "cancel")
            posted = moves.filtered(lambda m: m.state == "posted")
            claim.amount_recovered = sum(posted.mapped("amount_untaxed"))
            if not moves:
                claim.recovery_status = "none"
            else:
                claim.recovery_status = "posted" if moves == posted else "draft"

    @api.depends("picking_ids.state", "line_ids.to_return")
    def _compute_return_status(self):
        for claim in self:
            pickings = claim.sudo().picking_ids.filtered(lambda p: p.state == "done")
            if pickings:
                claim.return_status = "shipped"
            elif claim.line_ids.filtered("to_return"):
                claim.return_status = "to_ship"
            else:
                claim.return_status = "none"

    @api.depends("state", "date_answer_due", "date_eightd_due", "date_acknowledged")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for claim in self:
            claim.is_overdue = claim.state == "sent" and bool(
                (claim.date_eightd_due and claim.date_eightd_due < today)
                or (
                    not claim.date_acknowledged
                    and claim.date_answer_due
                    and claim.date_answer_due < today
                )
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(self.env._("Unsupported search on Overdue."))
        today = fields.Date.context_today(self)
        overdue = [
            ("state", "=", "sent"),
            "|",
            ("date_eightd_due", "<", today),
            "&",
            ("date_acknowledged", "=", False),
            ("date_answer_due", "<", today),
        ]
        return overdue if (operator == "=") == value else ["!", "&", *overdue]

    # -- constraints ---------------------------------------------------------------------------

    @api.constrains("partner_id", "complaint_id")
    def _check_supplier(self):
        for claim in self:
            customer = claim.complaint_id.partner_id.commercial_partner_id
            if claim.partner_id.commercial_partner_id == customer:
                raise UserError(
                    self.env._(
                        "%(claim)s: the customer %(customer)s is not the supplier of the parts.",
                        claim=claim.name,
                        customer=customer.display_name,
                    )
                )

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("partner_id"):
                raise UserError(self.env._("Name the supplier the claim goes to."))
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id
        claims = super().create(vals_list)
        claims.partner_id._increase_rank("supplier_rank")
        return claims

    def write(self, vals):
        if not self._csc_unguarded():
            frozen = {"partner_id", "complaint_id", "company_id"}.intersection(vals)
            if frozen and self.filtered(lambda claim: claim.state != "draft"):
                raise UserError(
                    self.env._("The supplier and the complaint of a claim sent do not change.")
                )
        return super().write(vals)

    # -- actions -------------------------------------------------------------------------------

    def action_send(self):
        """Quality sends the claim to the supplier with its PDF: containment and 8D asked by
        their due dates, answered on the portal."""
        self._check_quality()
        self._csc_check_state(("draft",), self.env._("be sent"))
        today = fields.Date.context_today(self)
        for claim in self:
            claim._csc_require(
                [
                    (claim.line_ids or claim.cost_ids, self.env._("the parts or the costs")),
                    (claim.amount_claimed > 0, self.env._("an amount to claim")),
                ],
                self.env._("%(claim)s: record %(missing)s before sending it."),
                claim=claim.name,
            )
            claim._csc_write(
                {
                    "state": "sent",
                    "date_sent": fields.Datetime.now(),
                    "date_answer_due": claim.date_answer_due or today + timedelta(ANSWER_DAYS),
                    "date_eightd_due": claim.date_eightd_due or today + timedelta(EIGHTD_DAYS),
                }
            )
            claim._csc_mail_claim()
            if claim.user_id:
                claim.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=claim.date_eightd_due,
                    user_id=claim.user_id.id,
                    summary=claim._csc_eightd_summary(),
                )
        return True

    def action_reject_answer(self):
        """Quality rejects the supplier's 8D and asks again, with the reason (the wizard calls
        `_csc_reject_answer`)."""
        self._check_quality()
        self._csc_check_state(("answered",), self.env._("have its 8D rejected"))
        return self._csc_reason_action("_csc_reject_answer", self.env._("Why the 8D Is Rejected"))

    def action_accept(self):
        """Quality accepts the supplier's 8D and records the recovery agreed: the vendor credit
        note is drafted for the amount claimed; finance posts it."""
        self._check_quality()
        self._csc_check_state(("answered",), self.env._("be agreed"))
        self._csc_write(
            {
                "state": "accepted",
                "date_accepted": fields.Datetime.now(),
                "accepted_by_id": self.env.user.id,
            }
        )
        for claim in self:
            claim._csc_create_vendor_refund()
            claim.activity_feedback(
                ["mail.mail_activity_data_todo"], feedback=self.env._("8D accepted.")
            )
        return True

    def action_ship_return(self):
        """The warehouse ships the parts to return back to the supplier from quality
        inspection: a real delivery to the supplier's location."""
        if not self.env.user.has_group(CLERK):
            raise AccessError(self.env._("The warehouse ships parts back to the supplier."))
        self._csc_check_state(("sent", "answered", "accepted"), self.env._("ship parts back"))
        for claim in self:
            if claim.return_status != "to_ship":
                raise UserError(self.env._("%s has no parts left to ship back.", claim.name))
            picking = self.env["stock.picking"]._csc_transfer(
                claim._csc_return_route(),
                [
                    (line.product_id, line.lot_id, line.quantity, {})
                    for line in claim.line_ids.filtered("to_return")
                ],
            )
            # sudo: the link to the stock record, and the warehouse's note (it reads the claim)
            claim.sudo()._csc_write({"picking_ids": [Command.link(picking.id)]})
            claim.sudo().message_post(
                body=self.env._("Parts shipped back to the supplier: %s.", picking.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_close(self):
        """Quality closes a claim once the recovery is posted and the parts are back with the
        supplier."""
        self._check_quality()
        self._csc_check_state(("accepted",), self.env._("be closed"))
        for claim in self:
            claim._csc_require(
                [
                    (
                        claim.recovery_status == "posted",
                        self.env._("the posted vendor credit note"),
                    ),
                    (claim.return_status != "to_ship", self.env._("the parts shipped back")),
                ],
                self.env._("%(claim)s: it closes with %(missing)s."),
                claim=claim.name,
            )
        self._csc_write({"state": "closed", "date_closed": fields.Datetime.now()})
        self.activity_unlink(["mail.mail_activity_data_todo", "mail.mail_activity_data_warning"])
        return True

    def action_cancel(self):
        """Quality cancels a claim not yet agreed, giving the reason (the wizard calls
        `_csc_cancel`)."""
        self._check_quality()
        self._csc_check_state(EDITABLE_STATES, self.env._("be cancelled"))
        return self._csc_reason_action("_csc_cancel", self.env._("Reason for Cancelling"))

    def action_view_moves(self):
        self.ensure_one()
        action = {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": self.env._("Vendor Credit Notes"),
            "context": {"default_move_type": "in_refund"},
        }
        if len(self.move_ids) == 1:
            return {**action, "res_id": self.move_ids.id, "view_mode": "form"}
        return {**action, "view_mode": "list,form", "domain": [("id", "in", self.move_ids.ids)]}

    def action_view_pickings(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "name": self.env._("Returns to the Supplier"),
            "view_mode": "list,form",
            "domain": [("id", "in", self.picking_ids.ids)],
        }

    # -- business helpers ----------------------------------------------------------------------

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Supplier Claim %s", self.name)

    def _check_quality(self):
        if not self.env.user.has_group(QUALITY):
            raise AccessError(self.env._("The quality department handles supplier claims."))

    def _csc_eightd_summary(self):
        return self.env._("Supplier's 8D report due")

    def _csc_recipient(self):
        self.ensure_one()
        return self.contact_id or self.partner_id

    def _csc_mail_claim(self):
        """The claim goes to the supplier's contact with its PDF, through Odoo's mail queue."""
        self.ensure_one()
        recipient = self._csc_recipient()
        Report = self.env["ir.actions.report"].sudo().with_context(lang=recipient.lang)
        content, kind = Report._render_qweb_pdf(CLAIM_REPORT, self.ids)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.name}.{kind}",
                    "raw": content,
                    "mimetype": "application/pdf" if kind == "pdf" else "text/html",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self.message_subscribe(partner_ids=recipient.ids)
        self.with_context(mail_notify_force_send=False).message_post_with_source(
            self.env.ref(SEND_TEMPLATE),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=recipient.ids,
            attachment_ids=attachment.ids,
        )

    def _csc_reject_answer(self, reason):
        self._check_quality()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the supplier's 8D is rejected."))
        self._csc_check_state(("answered",), self.env._("have its 8D rejected"))
        self._csc_write({"state": "sent"})
        for claim in self:
            claim.message_post(
                body=self.env._("Your 8D report is not accepted: %s Please send it again.", reason),
                partner_ids=claim._csc_recipient().ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def _csc_cancel(self, reason):
        self._check_quality()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for cancelling."))
        self._csc_check_state(EDITABLE_STATES, self.env._("be cancelled"))
        self._csc_write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo", "mail.mail_activity_data_warning"])
        for claim in self:
            claim.message_post(
                body=self.env._(
                    "Cancelled by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _csc_check_child_change(self, children, operation, names):
        """The parts and costs change until the recovery is agreed."""
        res = super()._csc_check_child_change(children, operation, names)
        agreed = self.filtered(lambda claim: claim.state not in EDITABLE_STATES)
        if agreed:
            raise UserError(
                self.env._(
                    "%s: the recovery is agreed, its parts and costs stay as agreed.",
                    ", ".join(agreed.mapped("name")),
                )
            )
        return res

    def _csc_return_route(self):
        self.ensure_one()
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )
        return {
            "picking_type": warehouse.out_type_id,
            "source": self.env["stock.location"]._csc_quality_location(self.company_id),
            "destination": self.partner_id.with_company(self.company_id).property_stock_supplier,
            "partner": self.partner_id,
            "origin": self.name,
        }

    def _csc_prepare_vendor_refund_vals(self):
        self.ensure_one()
        company = self.company_id
        fiscal_position = (
            self.env["account.fiscal.position"]
            .with_company(company)
            ._get_fiscal_position(self.partner_id)
        )
        lines = []
        for line in self.line_ids:
            taxes = line.product_id.sudo().supplier_taxes_id.filtered(
                lambda tax: tax.company_id == company
            )
            if fiscal_position:
                taxes = fiscal_position.map_tax(taxes)
            lines.append(
                Command.create(
                    {
                        "product_id": line.product_id.id,
                        "name": line.lot_id
                        and f"{line.product_id.display_name} ({line.lot_id.name})"
                        or line.product_id.display_name,
                        "quantity": line.quantity,
                        "product_uom_id": line.product_id.uom_id.id,
                        "price_unit": line.price_unit,
                        "tax_ids": [Command.set(taxes.ids)],
                    }
                )
            )
        labels = dict(
            self.env["csc.supplier.claim.cost"]
            ._fields["cost_type"]
            ._description_selection(self.env)
        )
        for cost in self.cost_ids:
            lines.append(
                Command.create(
                    {
                        "name": cost.name or labels.get(cost.cost_type) or self.name,
                        "quantity": 1.0,
                        "price_unit": cost.amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            )
        return {
            "move_type": "in_refund",
            "company_id": company.id,
            "partner_id": self.partner_id.id,
            "fiscal_position_id": fiscal_position.id,
            "invoice_date": fields.Date.context_today(self),
            "ref": self.name,
            "invoice_origin": self.complaint_id.name,
            "csc_origin": "supplier_recovery",
            "csc_complaint_id": self.complaint_id.id,
            "csc_supplier_claim_id": self.id,
            "invoice_line_ids": lines,
        }

    def _csc_create_vendor_refund(self):
        """The draft vendor credit note of the recovery agreed (finance posts it)."""
        self.ensure_one()
        # sudo: quality records the agreement; the vendor credit note is finance's document
        move = self.env["account.move"].sudo().create(self._csc_prepare_vendor_refund_vals())
        self.message_post(
            body=self.env._(
                "Vendor credit note %s drafted for the recovery agreed: finance posts it.",
                move.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return move

    def _csc_check_recovery_allowed(self, moves):
        """A vendor credit note of the claim is posted once the recovery is agreed, and never
        for more than the amount claimed (with the credit notes posted before)."""
        self.ensure_one()
        claim = self.sudo()
        if claim.state != "accepted":
            raise UserError(
                self.env._(
                    "%s: a supplier recovery is posted once the supplier's 8D is accepted and "
                    "the recovery agreed.",
                    claim.name,
                )
            )
        if moves.partner_id.commercial_partner_id != claim.partner_id:
            raise UserError(
                self.env._("%s: the vendor credit note goes to the claim's supplier.", claim.name)
            )
        posted = claim.move_ids.filtered(lambda m: m.state == "posted" and m not in moves)
        total = sum(posted.mapped("amount_untaxed")) + sum(moves.mapped("amount_untaxed"))
        if claim.currency_id.compare_amounts(total, claim.amount_claimed) > 0:
            raise UserError(
                self.env._(
                    "%(claim)s: %(total)s recovered would be more than the %(claimed)s claimed.",
                    claim=claim.name,
                    total=total,
                    claimed=claim.amount_claimed,
                )
            )

    # -- portal --------------------------------------------------------------------------------

    def _csc_check_portal_supplier(self, user):
        """`user` is a contact of the claim's supplier: the portal's own check, on top of the
        record rules, before a portal user answers through a sudo record."""
        commercial = user.partner_id.commercial_partner_id
        for claim in self:
            if claim.partner_id.commercial_partner_id != commercial:
                raise AccessError(self.env._("%s is a claim on another supplier.", claim.name))

    def _csc_portal_acknowledge(self, user, containment):
        """The supplier's contact confirms its containment on the portal."""
        self.ensure_one()
        self._csc_check_portal_supplier(user)
        self._csc_check_state(("sent",), self.env._("get the supplier's containment"))
        containment = (containment or "").strip()
        if not containment:
            raise UserError(self.env._("Describe the containment (stock sorted, shipments held)."))
        self._csc_write(
            {"date_acknowledged": fields.Datetime.now(), "supplier_containment": containment}
        )
        self.message_post(
            body=self.env._(
                "Containment confirmed by %(partner)s: %(text)s",
                partner=user.partner_id.name,
                text=containment,
            ),
            author_id=user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _csc_portal_submit_eightd(self, user, root_cause, actions, filename=None, content=None):
        """The supplier's contact sends its 8D report on the portal: the root cause, the
        corrective actions and the 8D file."""
        self.ensure_one()
        self._csc_check_portal_supplier(user)
        self._csc_check_state(("sent",), self.env._("receive an 8D report"))
        root_cause = (root_cause or "").strip()
        actions = (actions or "").strip()
        if not (root_cause and actions and content):
            raise UserError(
                self.env._("Give the root cause, the corrective actions and the 8D report file.")
            )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename or f"8D {self.name}",
                    "datas": base64.b64encode(content),
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self._csc_write(
            {
                "state": "answered",
                "date_answered": fields.Datetime.now(),
                "supplier_root_cause": root_cause,
                "supplier_actions": actions,
                "eightd_attachment_id": attachment.id,
            }
        )
        self.message_post(
            body=self.env._("8D report sent by %s.", user.partner_id.name),
            author_id=user.partner_id.id,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.activity_feedback(
            ["mail.mail_activity_data_todo"], feedback=self.env._("8D received.")
        )
        if self.user_id:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=self.user_id.id,
                summary=self.env._("Review the supplier's 8D report"),
            )
        return True

    # -- crons ---------------------------------------------------------------------------------

    @api.model
    def _cron_overdue_claims(self):
        """A warning for the owner of each claim whose supplier is late with its containment
        or its 8D (once, while it is open)."""
        claims = self.search([("is_overdue", "=", True), ("user_id", "!=", False)])
        for claim in claims:
            claim._csc_activity_once(
                "mail.mail_activity_data_warning",
                self.env._("Supplier late: chase the containment or the 8D"),
                user_id=claim.user_id.id,
            )
        return len(claims)
