import base64
import hashlib

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

# What a kept file may not change: its content and the record it belongs to.
KEPT_FIELDS = frozenset({"raw", "datas", "db_datas", "store_fname", "res_model", "res_id"})


class IrAttachment(models.Model):
    """The files of a sealed record (its stored printed forms included) are kept as long as the
    record: neither deleted, nor changed, nor moved to another record inside its retention
    period (models/csc_record_seal_mixin.py)."""

    _inherit = "ir.attachment"

    def write(self, vals):
        if KEPT_FIELDS.intersection(vals):
            self._csc_kept(vals)._csc_check_retention(self.env._("changed"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sealed(self):
        self._csc_check_retention(self.env._("deleted"))

    def _csc_kept(self, vals):
        """The attachments a write changes in what is kept (rewriting the same content, as a
        move to another storage does, changes nothing)."""
        if set(vals) - {"raw", "datas"}:
            return self
        data = vals.get("raw")
        if data is None:
            data = base64.b64decode(vals.get("datas") or b"")
        if isinstance(data, str):
            data = data.encode()
        checksum = hashlib.sha1(data or b"").hexdigest()
        return self.filtered(lambda attachment: attachment.sudo().checksum != checksum)

    def _csc_check_retention(self, what):
        if not self.ids:
            return
        Seal = self.env["csc.record.seal"].sudo()
        records = {}
        # (a binary field's file is the field's value: the record's own rules decide its change)
        for attachment in self.sudo().filtered(lambda attachment: not attachment.res_field):
            if attachment.res_model and attachment.res_id:
                records.setdefault(attachment.res_model, set()).add(attachment.res_id)
        for model, ids in records.items():
            kept = Seal._csc_retained(model, ids)
            if kept:
                attachment = self.sudo().filtered(
                    lambda a, model=model, kept=kept: a.res_model == model and a.res_id in kept
                )[:1]
                self._csc_raise_kept(attachment, kept[attachment.res_id], what)
        for seal in Seal.search([("attachment_id", "in", self.ids)]):
            if seal.date_retention and seal.date_retention > fields.Date.context_today(seal):
                self._csc_raise_kept(seal.attachment_id, seal.date_retention, what)

    def _csc_raise_kept(self, attachment, date, what):
        raise UserError(
            self.env._(
                "%(file)s belongs to a sealed record kept until %(date)s (the company's retention "
                "period): it cannot be %(what)s before then.",
                file=attachment.name,
                date=date,
                what=what,
            )
        )
