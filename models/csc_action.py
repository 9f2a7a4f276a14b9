from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError


class CscAction(models.Model):
    """A containment, corrective or preventive action (R-C7, 纠正/预防措施记录表) of a complaint
    or an 8D: done by its owner, verified effective by its verifier."""

    _name = "csc.action"
    _description = "Corrective / Preventive Action"
    _check_company_auto = True
    _inherit = ["csc.sequence.mixin", "csc.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _csc_sequence_field = "reference"
    _order = "date_due, id"
    _csc_guarded_fields = frozenset({"state", "date_done", "date_verified", "ineffective_count"})
    _csc_locked_states = ("verified",)
    # An action of a finished complaint or 8D does not change; a visit's improvement actions
    # outlive the visit.
    _csc_parent_fields = ("complaint_id", "eightd_id")

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char("Action", required=True, tracking=True)
    reference = fields.Char(readonly=True, copy=False, default="/")
    action_type = fields.Selection(
        [
            ("containment", "Containment"),
            ("corrective", "Corrective"),
            ("preventive", "Preventive"),
            ("readacross", "Read-Across"),
        ],
        "Type",
        required=True,
        default="corrective",
        tracking=True,
    )
    complaint_id = fields.Many2one(
        "csc.complaint", index=True, ondelete="cascade", tracking=True, check_company=True
    )
    eightd_id = fields.Many2one(
        "csc.eightd",
        "8D Report",
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
    )
    visit_id = fields.Many2one(
        "csc.service.visit", index=True, ondelete="cascade", tracking=True, check_company=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    user_id = fields.Many2one(
        "res.users", "Owner", required=True, tracking=True, domain=[("share", "=", False)]
    )
    department_id = fields.Many2one("csc.department", tracking=True, check_company=True)
    verifier_id = fields.Many2one("res.users", tracking=True, domain=[("share", "=", False)])
    date_due = fields.Date("Due Date", required=True, tracking=True)
    date_done = fields.Date("Done On", readonly=True, copy=False, tracking=True)
    date_chased = fields.Date(
        "Last Chased On",
        readonly=True,
        copy=False,
        help="When the overdue action was last chased in writing (once a day).",
    )
    description = fields.Text(tracking=True)
    # Read-across (横向展开, D7): the same fix checked and applied where the problem could recur.
    readacross_scope = fields.Selection(
        [("product", "Similar Product"), ("line", "Production Line"), ("plant", "Plant")],
        "Read-Across To",
        tracking=True,
    )
    readacross_target = fields.Char(
        "Applied At", tracking=True, help="The similar product, line or plant checked."
    )
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("verified", "Verified Effective")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    effectiveness_note = fields.Text("Effectiveness Evidence", tracking=True)
    date_verified = fields.Date("Verified On", readonly=True, copy=False, tracking=True)
    ineffective_count = fields.Integer(
        "Found Ineffective", readonly=True, copy=False, tracking=True
    )
    is_overdue = fields.Boolean("Overdue", compute="_compute_is_overdue")

    # -- SQL constraints -----------------------------------------------------------------------

    _sql_constraints = [
        ("reference_company_uniq", "unique(reference, company_id)", "Action numbers are unique."),
    ]

    # -- computes and inverses -----------------------------------------------------------------

    @api.depends("complaint_id", "eightd_id", "visit_id")
    def _compute_company_id(self):
        """An action belongs to the company of the record it is taken for."""
        for action in self:
            parent = action.complaint_id or action.eightd_id or action.visit_id
            action.company_id = parent.company_id or action.company_id or self.env.company

    @api.depends("date_due", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = bool(
                action.state == "open" and action.date_due and action.date_due < today
            )

    # -- constraints ---------------------------------------------------------------------------

    @api.constrains("action_type", "eightd_id", "readacross_scope", "readacross_target")
    def _check_readacross(self):
        """A read-across task belongs to an 8D and names where the fix is applied."""
        for action in self.filtered(lambda a: a.action_type == "readacross"):
            if not (action.eightd_id and action.readacross_scope and action.readacross_target):
                raise ValidationError(
                    self.env._(
                        "%s: a read-across task belongs to an 8D report and names the similar "
                        "product, line or plant it is applied at.",
                        action.name,
                    )
                )

    # -- CRUD ----------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions:
            action.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.date_due,
                user_id=action.user_id.id,
                summary=action.name,
            )
        return actions

    # -- actions -------------------------------------------------------------------------------

    def action_done(self):
        self._csc_check_state(("open",), self.env._("be reported done"))
        for action in self:
            if self.env.user != action.user_id and not self.env.user.has_group(
                "customer_service_control.group_csc_quality"
            ):
                raise AccessError(
                    self.env._(
                        "Only the owner or the quality department reports %s done.",
                        action.reference,
                    )
                )
        self._csc_write({"state": "done", "date_done": fields.Date.context_today(self)})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_verify_effective(self):
        self._check_verifier()
        if not all(self.mapped("effectiveness_note")):
            raise UserError(self.env._("Record the evidence of effectiveness first."))
        self._csc_write({"state": "verified", "date_verified": fields.Date.context_today(self)})
        return True

    def action_verify_ineffective(self):
        """Not effective: the action is reopened and the analysis of its 8D starts again
        (R-C7: until recurrence is prevented)."""
        self._check_verifier()
        for action in self:
            action._csc_write(
                {
                    "state": "open",
                    "date_done": False,
                    "ineffective_count": action.ineffective_count + 1,
                }
            )
            action.message_post(body=self.env._("Verified not effective: reopened."))
        self.eightd_id._reopen_analysis(self)
        complaints = self.complaint_id.filtered(lambda c: c.state in ("solved", "closed"))
        complaints._csc_write({"state": "investigation", "date_closed": False})
        for complaint in complaints:
            complaint.message_post(
                body=self.env._(
                    "%s verified not effective: the investigation is reopened.",
                    ", ".join(self.mapped("reference")),
                )
            )
        return True

    # -- business helpers ----------------------------------------------------------------------

    def _check_verifier(self):
        self._csc_check_state(("done",), self.env._("have its effectiveness verified"))
        for action in self:
            action._csc_check_not_self(
                action.user_id, self.env._("verify the action %s", action.reference)
            )
            if self.env.user != action.verifier_id and not self.env.user.has_group(
                "customer_service_control.group_csc_quality"
            ):
                raise AccessError(
                    self.env._(
                        "Only the verifier or the quality department verifies %s.", action.reference
                    )
                )

    def _csc_reopen_states(self):
        return ("verified",)

    def _csc_reopen_values(self):
        """A reopened action waits for its verification again."""
        return {"state": "done", "date_verified": False}

    @api.model
    def _csc_job_chase_overdue(self, actions, today):
        """Job: chase each action of the batch still open and not chased on `today`."""
        actions = actions.exists().filtered(
            lambda a: a.state == "open" and not (a.date_chased and a.date_chased >= today)
        )
        template = self.env.ref("customer_service_control.mail_template_csc_action_overdue")
        for action in actions:
            action.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                partner_ids=(action.user_id | action.verifier_id).partner_id.ids,
            )
        actions.write({"date_chased": today})
        return len(actions)

    # -- crons ---------------------------------------------------------------------------------

    @api.model
    def _cron_chase_overdue(self):
        """Late actions are chased in writing (跟催): an e-mail to the owner, verifier in copy.
        Once a day (a second run the same day chases nobody again), in the background: one job
        per batch of actions."""
        today = fields.Date.context_today(self)
        overdue = self.search(
            [
                ("state", "=", "open"),
                ("date_due", "<", today),
                "|",
                ("date_chased", "=", False),
                ("date_chased", "<", today),
            ]
        )
        self._csc_delay_batches(
            "_csc_job_chase_overdue",
            overdue,
            today,
            description=self.env._("Chase overdue actions"),
            key=f"chase:{today}",
        )
