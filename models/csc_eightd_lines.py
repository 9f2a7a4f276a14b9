from odoo import fields
from odoo import models


class CscEightdTeam(models.Model):
    _name = "csc.eightd.team"
    _description = "8D Team Member"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("eightd_id",)

    eightd_id = fields.Many2one(
        "csc.eightd", "8D Report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="eightd_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", "Member", required=True)
    department_id = fields.Many2one("csc.department")
    role = fields.Char()


class CscEightdContainment(models.Model):
    """Containment at one place (D3, 紧急对策): quantities checked and found defective."""

    _name = "csc.eightd.containment"
    _description = "8D Containment Line"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("eightd_id",)

    eightd_id = fields.Many2one(
        "csc.eightd", "8D Report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="eightd_id.company_id", store=True, index=True)
    place = fields.Selection(
        [
            ("supplier", "At the Supplier"),
            ("incoming", "Incoming Inspection"),
            ("wip", "Work in Progress"),
            ("stock", "Finished Stock"),
            ("transit", "In Transit"),
            ("customer", "At the Customer"),
            ("field", "In the Field"),
        ],
        required=True,
    )
    location_id = fields.Many2one("stock.location")
    qty_to_check = fields.Float("Quantity on Hand", digits="Product Unit of Measure")
    qty_checked = fields.Float("Quantity Checked", digits="Product Unit of Measure")
    qty_defective = fields.Float("Quantity Defective", digits="Product Unit of Measure")
    marking = fields.Char("Marking of Good Parts")
    date = fields.Date()
    user_id = fields.Many2one("res.users", "Responsible")

    _sql_constraints = [
        (
            "quantities",
            "CHECK(qty_to_check >= 0 AND qty_checked >= 0 AND qty_defective >= 0 "
            "AND qty_defective <= qty_checked)",
            "Quantities cannot be negative and defective parts cannot exceed the parts checked.",
        ),
    ]


class CscEightdCause(models.Model):
    """A root cause (D4, 发生原因 / 流出原因)."""

    _name = "csc.eightd.cause"
    _description = "8D Root Cause"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("eightd_id",)

    eightd_id = fields.Many2one(
        "csc.eightd", "8D Report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="eightd_id.company_id", store=True, index=True)
    cause_type = fields.Selection(
        [
            ("occurrence", "Occurrence (why made)"),
            ("escape", "Escape (why not detected)"),
            ("systemic", "Systemic"),
        ],
        "Type",
        required=True,
    )
    name = fields.Text("Cause", required=True)
    method = fields.Selection(
        [
            ("5why", "5-Why"),
            ("ishikawa", "Ishikawa"),
            ("changes", "Change Analysis"),
            ("other", "Other"),
        ]
    )
    verified = fields.Boolean(help="The problem can be switched on and off with this cause.")
    verification = fields.Text()
    contribution = fields.Float("Contribution (%)")

    _sql_constraints = [
        (
            "contribution_percent",
            "CHECK(contribution >= 0 AND contribution <= 100)",
            "A cause contributes between 0 % and 100 %.",
        ),
    ]


class CscEightdDocument(models.Model):
    """A document updated to prevent recurrence (D7)."""

    _name = "csc.eightd.document"
    _description = "8D Document Update"
    _inherit = ["csc.record.mixin"]
    _csc_parent_fields = ("eightd_id",)

    eightd_id = fields.Many2one(
        "csc.eightd", "8D Report", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="eightd_id.company_id", store=True, index=True)
    document_type = fields.Selection(
        [
            ("pfmea", "PFMEA"),
            ("control_plan", "Control Plan"),
            ("work_instruction", "Work Instruction"),
            ("process_flow", "Process Flow"),
            ("other", "Other"),
        ],
        "Type",
        required=True,
    )
    name = fields.Char("Document", required=True)
    revision = fields.Char("New Revision", required=True)
