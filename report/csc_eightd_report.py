from odoo import api
from odoo import models

from ..models.csc_eightd import DISCIPLINES


class ReportEightd(models.AbstractModel):
    """The printed 8D report, with its sign-off block: who signed off each discipline and
    when, read from the report's tracked history, and who approved the closure (D8)."""

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
        """{report id: [{discipline, done, by, on}]} for D0..D8.

        Each sign-off moves "Signed Off Up To" one discipline on, and that field is tracked:
        the latest change to a discipline names who signed it off and when (a reopened
        analysis is signed off again). The history is read as the superuser: a reader of the
        8D may not read tracking values directly, only through its chatter."""
        field = self.env["ir.model.fields"]._get("csc.eightd", "signed_off")
        # The tracked label is in the language of whoever signed off.
        keys = {}
        for lang, _name in self.env["res.lang"].get_installed():
            selection = self.env["csc.eightd"].with_context(lang=lang)._fields["signed_off"]
            for key, label in selection._description_selection(self.env(context={"lang": lang})):
                keys[label] = key
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", field.id),
                    ("mail_message_id.model", "=", "csc.eightd"),
                    ("mail_message_id.res_id", "in", reports.ids),
                ],
                order="id",
            )
        )
        signed = {}
        for tracking in trackings:
            message = tracking.mail_message_id
            key = keys.get(tracking.new_value_char)
            if key and key != "none":
                signed[message.res_id, key] = (message.author_id.name, message.date)
        labels = dict(self.env["csc.eightd"]._fields["signed_off"]._description_selection(self.env))
        result = {}
        for report in reports:
            level = -1 if report.signed_off == "none" else int(report.signed_off)
            rows = []
            for key, _label in DISCIPLINES:
                done = int(key) <= level
                who, when = signed.get((report.id, key), ("", False)) if done else ("", False)
                if key == "8" and report.approver_id:
                    who, when = report.approver_id.name, report.date_closed
                rows.append({"discipline": labels[key], "done": done, "by": who, "on": when})
            result[report.id] = rows
        return result
