from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError

AUDITOR = "customer_service_control.group_csc_quality"


class CscRecordVerify(models.TransientModel):
    """Verify Records: walks the seal chains of a company (models/csc_record_seal.py) and shows
    them intact, or names each record whose content no longer matches its latest seal and each
    broken link, the first one first."""

    _name = "csc.record.verify"
    _description = "Verify Records"

    # -- fields --------------------------------------------------------------------------------

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    state = fields.Selection(
        [("draft", "To Verify"), ("intact", "Intact"), ("broken", "Problems Found")],
        default="draft",
        readonly=True,
    )
    date_verified = fields.Datetime("Verified On", readonly=True)
    user_id = fields.Many2one("res.users", "Verified By", readonly=True)
    seal_count = fields.Integer("Seals Verified", readonly=True)
    chain_count = fields.Integer("Chains Verified", readonly=True)
    first_problem = fields.Char(readonly=True)
    line_ids = fields.One2many("csc.record.verify.line", "verify_id", "Problems", readonly=True)

    # -- computes ------------------------------------------------------------------------------

    @api.depends("company_id")
    def _compute_display_name(self):
        for verification in self:
            verification.display_name = self.env._(
                "Record Verification - %s", verification.company_id.name or ""
            )

    # -- actions -------------------------------------------------------------------------------

    def action_verify(self):
        self.ensure_one()
        self._check_auditor()
        Seal = self.env["csc.record.seal"]
        problems = Seal._csc_verify(company=self.company_id)
        groups = Seal.sudo()._read_group(
            [("company_id", "=", self.company_id.id)], ["res_model"], ["__count"]
        )
        self.write(
            {
                "state": "broken" if problems else "intact",
                "date_verified": fields.Datetime.now(),
                "user_id": self.env.uid,
                "seal_count": sum(count for _model, count in groups),
                "chain_count": len(groups),
                "first_problem": problems and f"{problems[0]['record']}: {problems[0]['problem']}",
                "line_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "sequence": index,
                            "seal_id": problem["seal"].id,
                            "record": problem["record"],
                            "problem": problem["problem"],
                        },
                    )
                    for index, problem in enumerate(problems, start=1)
                ],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Verify Records"),
        }

    def action_print(self):
        self.ensure_one()
        if self.state == "draft":
            self.action_verify()
        return self.env.ref("customer_service_control.csc_record_verify_report").report_action(self)

    # -- business helpers ----------------------------------------------------------------------

    def _check_auditor(self):
        if not self.env.user.has_group(AUDITOR):
            raise AccessError(
                self.env._("Only quality engineers and service managers verify the records.")
            )

    def _csc_chains(self):
        """Each chain of the company: its kind, how many seals and its last chain hash."""
        self.ensure_one()
        Seal = self.env["csc.record.seal"].sudo()
        kinds = dict(Seal._selection_res_model())
        chains = []
        for model, count in Seal._read_group(
            [("company_id", "=", self.company_id.id)], ["res_model"], ["__count"]
        ):
            head = Seal.search(
                [("company_id", "=", self.company_id.id), ("res_model", "=", model)],
                order="sequence desc",
                limit=1,
            )
            chains.append(
                {
                    "kind": kinds.get(model, model),
                    "count": count,
                    "last": head.display_name,
                    "date": head.date_sealed,
                    "hash": head.chain_hash,
                }
            )
        return chains


class CscRecordVerifyLine(models.TransientModel):
    _name = "csc.record.verify.line"
    _description = "Verify Records: Problem"
    _order = "sequence, id"

    verify_id = fields.Many2one("csc.record.verify", required=True, ondelete="cascade")
    sequence = fields.Integer()
    seal_id = fields.Many2one("csc.record.seal")
    record = fields.Char()
    problem = fields.Char()
