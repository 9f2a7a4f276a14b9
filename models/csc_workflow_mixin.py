"""The state machine shared by the addon's models with a state (IATF 16949 records).

`csc.workflow.mixin`, on top of the record checks of `csc.record.mixin`
(models/csc_record_mixin.py): the state and the approval / sign-off / verification / release
fields (`_csc_guarded_fields`) change only inside the model's own transitions (`_csc_write`),
whoever calls `create()` / `write()` (a manager, an import, a one2many line edit, XML-RPC); a
record in a finished state (`_csc_locked_states`) is read-only until it is reopened by the right
role with a reason (`_csc_reopen`); only a record in its initial state can be deleted; a
transition locks its rows first, so that two users firing it at the same moment give exactly one
effect; whoever approves did not do the work (`_csc_check_not_self`); a finished record is
sealed, and kept for the company's retention period (`_csc_seal_later`,
models/csc_record_seal_mixin.py).

Module installation and upgrades load data files as the superuser with `install_mode` in the
context (Odoo's own data loader); that, and only that, passes the guards: no user interface and
no RPC call runs as the superuser.
"""

from contextlib import contextmanager

from lxml import etree

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import SQL

from .csc_record_mixin import _TRANSITION_KEY


class CscWorkflowMixin(models.AbstractModel):
    _name = "csc.workflow.mixin"
    _inherit = ["csc.record.mixin"]
    _description = "Customer Service Workflow"

    _csc_guarded_fields = frozenset({"state"})
    # Finished states: the record and its lines are read-only until reopened.
    _csc_locked_states = ()
    # Fields that may still change on a finished record (besides chatter and activities).
    _csc_unlocked_fields = frozenset()
    # The group allowed to reopen a finished record, with a reason.
    _csc_reopen_group = "customer_service_control.group_csc_manager"

    is_locked = fields.Boolean(
        "Locked",
        compute="_compute_is_locked",
        help="Finished: the record is read-only; the right role may reopen it with a reason.",
    )

    csc_can_reopen = fields.Boolean("Can Be Reopened", compute="_compute_is_locked")

    @api.depends("state")
    def _compute_is_locked(self):
        reopen_states = self._csc_reopen_states()
        for record in self:
            record.is_locked = record._csc_is_locked()
            record.csc_can_reopen = record.state in reopen_states and record._csc_can_reopen()

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """Forms show a finished record read-only (the server refuses the change anyway) and
        offer its reopening to the role allowed to do it."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type != "form":
            return arch, view
        free = self._csc_free_fields()
        for node in arch.xpath("//field[not(ancestor::field)]"):
            name = node.get("name")
            if name in free or name not in self._fields or node.get("readonly") == "1":
                continue
            readonly = node.get("readonly")
            node.set("readonly", f"is_locked or ({readonly})" if readonly else "is_locked")
        root = arch.xpath("/form")[0]
        for name in ("is_locked", "csc_can_reopen"):
            root.append(etree.Element("field", name=name, invisible="1"))
        header = arch.xpath("/form/header")
        if (
            header
            and self._csc_reopen_states()
            and not arch.xpath("//button[@name='action_reopen']")
        ):
            button = etree.Element(
                "button",
                name="action_reopen",
                type="object",
                string=self.env._("Reopen"),
                invisible="not csc_can_reopen",
                groups=self._csc_reopen_group,
            )
            statusbar = header[0].xpath("field[@widget='statusbar']")
            if statusbar:
                statusbar[0].addprevious(button)
            else:
                header[0].append(button)
        return arch, view

    def write(self, vals):
        if not self._csc_unguarded():
            locked = self.filtered(lambda record: record._csc_is_locked())
            changed = locked and set(vals) - self._csc_free_fields()
            if changed:
                raise UserError(
                    self.env._(
                        "%(records)s is finished and locked: %(fields)s can no longer change. "
                        "Reopen it with a reason first.",
                        records=", ".join(locked.mapped("display_name")),
                        fields=self._csc_field_labels(changed),
                    )
                )
            self._csc_check_signed(vals)
        res = super().write(vals)
        # Finished records are sealed, reopened ones recorded (models/csc_record_seal.py).
        self._csc_seal_later(vals)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        if not self._csc_unguarded():
            started = self.filtered(lambda r: r.state != r._csc_initial_state())
            if started:
                raise UserError(
                    self.env._(
                        "%(records)s cannot be deleted: it is past its first step and part of "
                        "the record. Cancel or archive it instead.",
                        records=", ".join(started.mapped("display_name")),
                    )
                )

    # -- state and locks ----------------------------------------------------------------------

    def _csc_initial_state(self):
        field = self._fields["state"]
        return field.default(self.browse()) if field.default else False

    def _csc_is_locked(self):
        self.ensure_one()
        return self.state in self._csc_locked_states

    def _csc_free_fields(self):
        """Fields a finished record may still change: chatter, activities, technical fields
        (the portal's access token included)."""
        free = set(self._csc_unlocked_fields) | set(models.MAGIC_COLUMNS)
        for mixin in ("mail.thread", "mail.activity.mixin", "portal.mixin"):
            if mixin in self.env:
                free |= set(self.env[mixin]._fields)
        return free

    def _csc_check_child_change(self, children, operation, names):
        """Lines of a finished record do not change. Models with further rules extend this."""
        locked = self.filtered(lambda record: record._csc_is_locked())
        if locked:
            raise UserError(
                self.env._(
                    "%(records)s is finished and locked: its %(lines)s cannot change. Reopen it "
                    "with a reason first.",
                    records=", ".join(locked.mapped("display_name")),
                    lines=children._description,
                )
            )
        return True

    @contextmanager
    def _csc_transition(self):
        """Inside it, the model's own transition code may set guarded fields and change
        finished records. Held by the cursor, so no context an RPC caller sends can open it."""
        cache = self.env.cr.cache
        cache[_TRANSITION_KEY] = cache.get(_TRANSITION_KEY, 0) + 1
        try:
            yield
        finally:
            cache[_TRANSITION_KEY] -= 1

    def _csc_write(self, vals):
        """Write as a transition (after the action checked that it may happen)."""
        with self._csc_transition():
            return self.write(vals)

    def _csc_lock_rows(self):
        """Lock the records' rows for this transaction (NOWAIT: a concurrent transition fails at
        once and Odoo retries the request, which then sees the new state), and read the state
        anew. Under REPEATABLE READ, a row changed by a transaction that committed meanwhile
        raises a serialization failure, also retried."""
        if not self.ids:
            return
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR UPDATE NOWAIT",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        self.invalidate_recordset()

    def _csc_check_state(self, allowed, what):
        """Lock the rows, then refuse the transition unless every record is in `allowed`."""
        self._csc_lock_rows()
        states = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state not in allowed:
                raise UserError(
                    self.env._(
                        "%(record)s is %(state)s: it cannot %(what)s.",
                        record=record.display_name,
                        state=states.get(record.state, record.state),
                        what=what,
                    )
                )

    def _csc_check_not_self(self, users, what):
        """Separation of duties: whoever approves, verifies or signs off did not request, perform
        or prepare the work."""
        if self.env.user in users:
            raise AccessError(
                self.env._(
                    "%(user)s cannot %(what)s: the same person may not do the work and approve it.",
                    user=self.env.user.name,
                    what=what,
                )
            )

    # -- reopening ----------------------------------------------------------------------------

    # Methods the reason wizard may call, each taking the reason.
    _csc_reason_methods = frozenset({"_csc_reopen"})

    def action_reopen(self):
        """Ask the reason for reopening finished records (the wizard calls `_csc_reopen`)."""
        self._csc_check_reopen_rights()
        return self._csc_reason_action("_csc_reopen", self.env._("Reason for Reopening"))

    def _csc_reason_action(self, method, title):
        """The dialog asking the reason of a decision that is recorded in the chatter."""
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "csc.reopen.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_ids": str(self.ids),
                "default_method": method,
            },
        }

    def _csc_check_reopen_rights(self):
        if not self.env.user.has_group(self._csc_reopen_group):
            group = self.env.ref(self._csc_reopen_group)
            raise AccessError(
                self.env._(
                    "Only the %(group)s reopens a finished %(model)s.",
                    group=group.name,
                    model=self._description,
                )
            )

    def _csc_reopen_states(self):
        """States a record may be reopened from (none: it is never reopened)."""
        return ()

    def _csc_can_reopen(self):
        """Whether this record, in one of the reopen states, may be reopened."""
        self.ensure_one()
        return True

    def _csc_reopen_values(self):
        """The values a reopened record gets (at least its new state)."""
        raise UserError(self.env._("A %s cannot be reopened.", self._description))

    def _csc_reopen(self, reason):
        """Reopen finished records, with the reason in their chatter."""
        self._csc_check_reopen_rights()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for reopening."))
        self._csc_check_state(self._csc_reopen_states(), self.env._("be reopened"))
        for record in self:
            if not record._csc_can_reopen():
                raise UserError(
                    self.env._("%s is not finished: nothing to reopen.", record.display_name)
                )
        for record in self:
            record._csc_write(record._csc_reopen_values())
            record.message_post(
                body=self.env._(
                    "Reopened by %(user)s: %(reason)s", user=self.env.user.name, reason=reason
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # -- signed records -----------------------------------------------------------------------

    # What a signature covers (fields, one2many lines included): frozen once signed, for every
    # user and over every door, until the right role reopens the record with a reason.
    _csc_signed_fields = frozenset()
    # Of those, the signature and its signer: a reopening clears them, the signer signs again.
    _csc_signature_fields = frozenset()

    def _csc_is_signed(self):
        """Whether this record carries the signature that freezes `_csc_signed_fields`."""
        self.ensure_one()
        return False

    def _csc_check_signed(self, vals):
        """Refuse a change of what the signer signed (outside the model's own transitions)."""
        names = self._csc_signed_fields.intersection(vals)
        if not names or self._csc_unguarded():
            return
        signed = self.filtered(lambda record: record._csc_is_signed())
        if signed:
            self._csc_raise_signed(signed, self._csc_field_labels(names))

    def _csc_check_signed_children(self, children):
        """Lines ask their signed parent (from `_csc_check_child_change`): the lines of a
        one2many the signature covers do not change."""
        covered = any(
            self._fields[name].type == "one2many"
            and self._fields[name].comodel_name == children._name
            for name in self._csc_signed_fields
        )
        signed = covered and self.filtered(lambda record: record._csc_is_signed())
        if signed:
            self._csc_raise_signed(signed, children._description)

    def _csc_raise_signed(self, records, what):
        raise UserError(
            self.env._(
                "%(records)s is signed: %(what)s stay as signed. A correction goes through a "
                "reopening with a reason, and the record is signed again.",
                records=", ".join(records.mapped("display_name")),
                what=what,
            )
        )

    def _csc_unsign_values(self):
        """The values clearing the signature of a signed record being reopened."""
        self.ensure_one()
        if not self._csc_is_signed():
            return {}
        return dict.fromkeys(self._csc_signature_fields, False)
