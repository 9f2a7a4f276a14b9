from odoo import fields
from odoo import models


class CscComplaintReactionWizard(models.TransientModel):
    """Asks the customer's reaction to the disposition of a complaint, given by a reply to the
    disposition mail or told to the desk (R-C8); the complaint records it
    (`csc.complaint._csc_record_reaction`)."""

    _name = "csc.complaint.reaction.wizard"
    _description = "Customer's Reaction to the Disposition"

    # -- fields --------------------------------------------------------------------------------

    complaint_id = fields.Many2one("csc.complaint", required=True, ondelete="cascade")
    customer_id = fields.Many2one(related="complaint_id.partner_id.commercial_partner_id")
    verdict = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected")], "Customer", required=True
    )
    channel = fields.Selection(
        [("mail", "E-mail Reply"), ("desk", "Told the Desk")],
        "Received By",
        required=True,
        default="desk",
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Answered By",
        required=True,
        domain="['|', ('id', '=', customer_id), ('commercial_partner_id', '=', customer_id)]",
    )
    date_reaction = fields.Datetime("Answered On", required=True, default=fields.Datetime.now)
    reaction = fields.Text("Customer's Words", help="Required when the customer rejects.")

    # -- actions -------------------------------------------------------------------------------

    def action_confirm(self):
        self.ensure_one()
        self.complaint_id._csc_record_reaction(
            self.verdict, self.reaction, self.channel, self.partner_id, self.date_reaction
        )
        return {"type": "ir.actions.act_window_close"}
