from odoo import api
from odoo import models

from ..models.csc_eightd import DISCIPLINES
from ..models.csc_eightd_ishikawa import ISHIKAWA_CATEGORIES


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
            "why_chains": {report.id: self._why_chains(report) for report in docs},
            "ishikawa": {report.id: self._ishikawa_grid(report) for report in docs},
        }

    @api.model
    def _why_chains(self, report):
        """[(chain label, its 5-Why steps in order)] for the chains the 8D records."""
        labels = dict(self.env["csc.eightd.why"]._fields["chain"]._description_selection(self.env))
        chains = []
        for key in labels:
            steps = report.why_line_ids.filtered(lambda why, key=key: why.chain == key)
            if steps:
                chains.append((labels[key], steps.sorted(lambda why: (why.sequence, why.id))))
        return chains

    @api.model
    def _ishikawa_grid(self, report):
        """{"headers": the six category labels, "rows": [[cause or None] * 6]}: the possible
        causes of each category in its column, one under the other."""
        labels = dict(
            self.env["csc.eightd.ishikawa"]._fields["category"]._description_selection(self.env)
        )
        columns = [
            report.ishikawa_line_ids.filtered(lambda cause, key=key: cause.category == key)
            for key, _label in ISHIKAWA_CATEGORIES
        ]
        depth = max((len(column) for column in columns), default=0)
        rows = [
            [column[index] if index < len(column) else None for column in columns]
            for index in range(depth)
        ]
        return {"headers": [labels[key] for key, _label in ISHIKAWA_CATEGORIES], "rows": rows}

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
