from odoo import fields
from odoo import models

from ..models.csc_complaint import CONTACT_METHODS


class CscComplaintContactWizard(models.TransientModel):
    """Asks when and how the customer of a complaint was contacted (R-B3); the complaint
    records it (`csc.complaint._csc_record_contact`)."""

    _name = "csc.complaint.contact.wizard"
    _description = "Customer Contacted"

    # -- fields --------------------------------------------------------------------------------

    complaint_id = fields.Many2one("csc.complaint", required=True, ondelete="cascade")
    date_contacted = fields.Datetime("Contacted On", required=True, default=fields.Datetime.now)
    method = fields.Selection(CONTACT_METHODS, "Contacted By", required=True)
    note = fields.Text(help="Who was sent or who wrote, to whom.")

    # -- actions -------------------------------------------------------------------------------

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id._csc_record_contact(self.date_contacted, self.method, self.note)
        return {"type": "ir.actions.act_window_close"}
