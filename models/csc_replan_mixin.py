from datetime import datetime

from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CscReplanMixin(models.AbstractModel):
    """Deadlines are fixed when a record is registered; a service manager may re-plan an open
    record's deadlines with the rules in force today, with a reason. Each model checks who and
    when and says how its deadlines are planned; this records the rest the same way for all."""

    _name = "csc.replan.mixin"
    _description = "Customer Service Deadline Re-planning"

    def _csc_replan_with_reason(self, reason, names, replan):
        """Run `replan()` (which plans the fields `names` of these records anew) and post the
        reason and each change, old → new, in every record's chatter."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for re-planning."))
        before = {record.id: [record[name] for name in names] for record in self}
        replan()
        for record in self:
            changes = [
                f"{record._fields[name]._description_string(self.env)}: "
                f"{_shown(old) or '-'} → {_shown(record[name]) or '-'}"
                for name, old in zip(names, before[record.id], strict=True)
                if old != record[name]
            ]
            record.message_post(
                body=self.env._(
                    "Deadlines re-planned by %(user)s: %(reason)s (%(changes)s)",
                    user=self.env.user.name,
                    reason=reason,
                    changes="; ".join(changes) or self.env._("unchanged"),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True


def _shown(value):
    return fields.Datetime.to_string(value) if isinstance(value, datetime) else value
