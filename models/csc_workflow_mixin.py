"""The one mechanism that keeps the addon's records true (IATF 16949 records).

- `csc.record.mixin`, for every model of the addon: values of the wrong type or oversized texts
  are refused with a `ValidationError` (never a traceback), and lines ask their parent whether
  they may change (`_csc_parent_fields`).
- `csc.workflow.mixin`, for every model with a state: the state and the approval / sign-off /
  verification / release fields (`_csc_guarded_fields`) change only inside the model's own
  transitions (`_csc_write`), whoever calls `create()` / `write()` (a manager, an import, a
  one2many line edit, XML-RPC); a record in a finished state (`_csc_locked_states`) is read-only
  until it is reopened by the right role with a reason (`_csc_reopen`); only a record in its
  initial state can be deleted; a transition locks its rows first, so that two users firing it
  at the same moment give exactly one effect.

Module installation and upgrades load data files as the superuser with `install_mode` in the
context (Odoo's own data loader); that, and only that, passes the guards: no user interface and
no RPC call runs as the superuser.
"""

from contextlib import contextmanager

from lxml import etree
from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Longest text accepted per field type (characters): a name, a note, a rich-text description.
TEXT_LIMITS = {"char": 1_000, "text": 50_000, "html": 1_000_000}
CHECKED_TYPES = {
    "char",
    "text",
    "html",
    "integer",
    "float",
    "monetary",
    "date",
    "datetime",
    "selection",
    "many2one",
}
_TRANSITION_KEY = "csc_transition_depth"


class CscRecordMixin(models.AbstractModel):
    _name = "csc.record.mixin"
    _description = "Customer Service Record Checks"

    # Fields only the model's own transitions set (also on lines: quantities booked by moves).
    _csc_guarded_fields = frozenset()
    # On a line model: the fields of its parent records, which decide whether the line may change.
    _csc_parent_fields = ()

    @api.model_create_multi
    def create(self, vals_list):
        if not self._csc_unguarded():
            for vals in vals_list:
                self._csc_check_values(vals)
                self._csc_check_guarded_create(vals)
        records = super().create(vals_list)
        if self._csc_parent_fields and not self._csc_unguarded():
            records._csc_check_parents("create", set().union(*vals_list))
        return records

    def write(self, vals):
        unguarded = self._csc_unguarded()
        if not unguarded:
            self._csc_check_values(vals)
            guarded = self._csc_guarded_fields.intersection(vals)
            if guarded:
                raise UserError(
                    self.env._(
                        "%(fields)s of %(model)s change only through its actions (buttons), "
                        "never by editing the record.",
                        fields=self._csc_field_labels(guarded),
                        model=self._description,
                    )
                )
        if not self._csc_parent_fields or unguarded:
            return super().write(vals)
        self._csc_check_parents("write", set(vals))
        before = self._csc_snapshot(vals)
        res = super().write(vals)
        if set(self._csc_parent_fields).intersection(vals):  # moved to another parent
            self._csc_check_parents("write", set(vals))
        if before:
            self._csc_log_line_change(before)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_parent_locked(self):
        if self._csc_parent_fields and not self._csc_unguarded():
            self._csc_check_parents("unlink", set())

    # -- helpers ------------------------------------------------------------------------------

    def _csc_unguarded(self):
        """Inside a transition of the addon, or Odoo's data loader installing the module."""
        return bool(
            self.env.cr.cache.get(_TRANSITION_KEY)
            or (self.env.su and self.env.context.get("install_mode"))
        )

    def _csc_check_parents(self, operation, names):
        """Each parent record decides whether its lines may change."""
        for name in self._csc_parent_fields:
            parents = self.mapped(name)
            if hasattr(parents, "_csc_check_child_change"):
                parents._csc_check_child_change(self, operation, names)

    def _csc_field_labels(self, names):
        described = self.fields_get(list(names), ["string"])
        return ", ".join(sorted(f"'{described[name]['string']}'" for name in described))

    def _csc_check_guarded_create(self, vals):
        """A new record starts in its initial state: guarded fields keep their default."""
        for name in self._csc_guarded_fields.intersection(vals):
            field = self._fields[name]
            default = field.default(self) if field.default else False
            if (vals[name] or False) != (default or False):
                raise UserError(
                    self.env._(
                        "A new %(model)s cannot be created with %(fields)s set: it starts in "
                        "its initial state and changes through its actions.",
                        model=self._description,
                        fields=self._csc_field_labels([name]),
                    )
                )

    @api.model
    def _csc_check_values(self, vals):
        """A clear error for a value of the wrong type or an oversized text (what an RPC client
        or an import may send), before anything is written."""
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                raise ValidationError(
                    self.env._(
                        "%(model)s has no field '%(field)s'.", model=self._description, field=name
                    )
                )
            if field.type not in CHECKED_TYPES or value is False or value is None:
                continue
            label = field._description_string(self.env)
            limit = TEXT_LIMITS.get(field.type)
            if limit and isinstance(value, str) and len(value) > limit:
                raise ValidationError(
                    self.env._(
                        "%(field)s is too long: %(length)s characters, at most %(limit)s.",
                        field=label,
                        length=len(value),
                        limit=limit,
                    )
                )
            if limit:
                if not isinstance(value, str):
                    raise ValidationError(self.env._("%(field)s must be a text.", field=label))
                continue
            if field.type == "many2one" and (
                isinstance(value, bool) or not isinstance(value, int | models.BaseModel)
            ):
                raise ValidationError(self.env._("%(field)s must be a record id.", field=label))
            if field.type in ("integer", "float", "monetary") and isinstance(value, bool):
                raise ValidationError(self.env._("%(field)s must be a number.", field=label))
            try:
                field.convert_to_cache(value, self.browse())
            except (ValueError, TypeError) as error:
                raise ValidationError(
                    self.env._("Wrong value for %(field)s: %(value)r.", field=label, value=value)
                ) from error

    def _csc_started_parents(self):
        """The parent records of this line past their first state: its edits are posted there."""
        self.ensure_one()
        parents = (self[name] for name in self._csc_parent_fields)
        return [
            parent
            for parent in parents
            if parent
            and hasattr(parent, "_csc_initial_state")
            and parent.state != parent._csc_initial_state()
        ]

    def _csc_snapshot(self, vals):
        """Values of the changed fields before a line edit, for the chatter of its parents past
        their first state (lines with a chatter of their own track themselves)."""
        if hasattr(self, "message_post"):
            return {}
        names = [
            name
            for name in vals
            if name in self._fields
            and self._fields[name].store
            and self._fields[name].type not in ("one2many", "many2many", "binary")
        ]
        if not names:
            return {}
        return {
            line.id: {name: line[name] for name in names}
            for line in self
            if line._csc_started_parents()
        }

    def _csc_log_line_change(self, before):
        """Post each changed value of the snapshotted lines on their parents."""
        for line in self.filtered(lambda line: line.id in before):
            changes = []
            for name, old in before[line.id].items():
                new = line[name]
                if old != new:
                    field = self._fields[name]
                    changes.append(
                        f"{field._description_string(self.env)}: "
                        f"{field.convert_to_display_name(old, line) or '-'} → "
                        f"{field.convert_to_display_name(new, line) or '-'}"
                    )
            if not changes:
                continue
            label = f"{self._description} {line.display_name or line.id}"
            for parent in line._csc_started_parents():
                parent.message_post(
                    body=self.env._(
                        "%(line)s changed: %(changes)s",
                        line=label,
                        changes="; ".join(changes),
                    )
                )

    def _csc_notify_batch(self, partners, template_xmlid, subject, note):
        """Tell `partners` about these records with one message per recipient and batch, queued
        in Odoo's mail queue (sent by its cron, not inside the request).

        One record: its own message rendered from the mail template, in its chatter. Several
        (a batch created or assigned in one call): a note in each record's chatter saying who
        was told (one batched insert) and a single digest to the recipients listing them (one
        message, one notification per recipient), instead of a message post per record."""
        if not self or not partners:
            return self.env["mail.message"]
        records = self.with_context(mail_notify_force_send=False)
        if len(self) == 1:
            return records.message_post_with_source(
                template_xmlid, subtype_xmlid="mail.mt_comment", partner_ids=partners.ids
            )
        records._message_log_batch(
            bodies=dict.fromkeys(self.ids, note), author_id=self.env.user.partner_id.id
        )
        base_url = self[0].get_base_url()
        items = Markup("").join(
            Markup('<li><a href="%s/mail/view?model=%s&amp;res_id=%s">%s</a></li>')
            % (base_url, self._name, record.id, record._csc_digest_line())
            for record in self
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (subject, items)
        return (
            records.env["mail.thread"]
            .sudo()
            .message_notify(
                subject=subject,
                body=body,
                partner_ids=partners.ids,
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_comment",
            )
        )

    def _csc_digest_line(self):
        """How a record is listed in a batch notification."""
        self.ensure_one()
        return self.display_name

    def _csc_check_lot_product(self, lot_field="lot_id", product_field="product_id"):
        """A lot or serial number belongs to the product it is recorded for."""
        for record in self:
            lot, product = record[lot_field], record[product_field]
            if lot and lot.product_id != product:
                raise ValidationError(
                    self.env._(
                        "Lot %(lot)s is not a lot of %(product)s.",
                        lot=lot.name,
                        product=product.display_name or "-",
                    )
                )


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
        return super().write(vals)

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

    def _csc_activity_once(self, activity_type, summary, **values):
        """Schedule a `summary` activity on each record without an open one of that summary
        (a scan run twice asks once); the records that got one."""
        todo = self.filtered(lambda r: not r.activity_ids.filtered(lambda a: a.summary == summary))
        for record in todo:
            record.activity_schedule(activity_type, summary=summary, **values)
        return todo

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
