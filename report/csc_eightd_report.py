from odoo import api
from odoo import models

from ..models.csc_eightd import DISCIPLINES


class ReportEightd(models.AbstractModel):
    """The printed 8D report, with its sign-off block: who signed off each discipline and
    when (the report's stored sign-offs), the closure (D8) approved by the quality manager."""

    _name = "report.customer_service_control.report_eightd"
    _description = "8D Report (printed)"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["csc.eightd"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "csc.eightd",
            "docs": docs,
            "signoffs": self._signoffs(docs),
        }

    @api.model
    def _signoffs(self, reports):
        """{report id: [{discipline, done, by, on}]} for D0..D8, from the sign-off lines the
        8D's transitions wrote (whoever signed off: a person, an import or a data file)."""
        labels = dict(self.env["csc.eightd"]._fields["signed_off"]._description_selection(self.env))
        result = {}
        for report in reports:
            lines = {line.discipline: line for line in report.signoff_ids}
            level = report._signed_level()
            rows = []
            for key, _label in DISCIPLINES:
                line = lines.get(key)
                rows.append(
                    {
                        "discipline": labels[key],
                        "done": int(key) <= level,
                        "by": line.user_id.name if line else "",
                        "on": line.date if line else False,
                    }
                )
            result[report.id] = rows
        return result
