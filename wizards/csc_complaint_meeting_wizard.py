from odoo import fields
from odoo import models


class CscComplaintMeetingWizard(models.TransientModel):
    """Asks when the responsibility meeting of a complaint was held, who attended and what it
    concluded (R-C3); the complaint records it (`csc.complaint._csc_record_meeting`)."""

    _name = "csc.complaint.meeting.wizard"
    _description = "Responsibility Meeting Held"

    # -- fields --------------------------------------------------------------------------------

    complaint_id = fields.Many2one("csc.complaint", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id")
    date_held = fields.Datetime("Held On", required=True, default=fields.Datetime.now)
    user_ids = fields.Many2many("res.users", string="Attendees", domain=[("share", "=", False)])
    department_ids = fields.Many2many(
        "csc.department",
        string="Departments",
        domain="[('company_id', 'in', (company_id, False))]",
    )
    responsibility = fields.Selection(
        lambda self: self.env["csc.complaint"]._fields["responsibility"].selection,
        "Responsibility Decided",
        required=True,
    )
    department_id = fields.Many2one(
        "csc.department",
        "Responsible Department",
        domain="[('company_id', 'in', (company_id, False))]",
    )
    conclusion = fields.Text(required=True)

    # -- actions -------------------------------------------------------------------------------

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id._csc_record_meeting(
            {
                "date_held": self.date_held,
                "users": self.user_ids,
                "departments": self.department_ids,
                "responsibility": self.responsibility,
                "department": self.department_id,
                "conclusion": self.conclusion,
            }
        )
        return {"type": "ir.actions.act_window_close"}
