"""The record checks every model of the addon shares (IATF 16949 records).

`csc.record.mixin`: values of the wrong type or oversized texts are refused with a
`ValidationError` (never a traceback); fields only the model's own transitions set
(`_csc_guarded_fields`) keep their default on a new record and refuse a write; lines ask their
parent whether they may change (`_csc_parent_fields`), and their edits on a parent past its first
state are posted in the parent's chatter. The state machine on top of it is `csc.workflow.mixin`
(models/csc_workflow_mixin.py).

Module installation and upgrades load data files as the superuser with `install_mode` in the
context (Odoo's own data loader); that, and only that, passes the checks: no user interface and
no RPC call runs as the superuser.
"""

from odoo import api
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

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
# Key in the cursor's cache counting the transitions running (see `csc.workflow.mixin`).
_TRANSITION_KEY = "csc_transition_depth"


class CscRecordMixin(models.AbstractModel):
    _name = "csc.record.mixin"
    _description = "Customer Service Record Checks"

    # Fields only the model's own transitions set (also on lines: quantities booked by moves).
    _csc_guarded_fields = frozenset()
    # On a line model: the fields of its parent records, which decide whether the line may change.
    _csc_parent_fields = ()

    # -- CRUD ----------------------------------------------------------------------------------

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

    # -- business helpers ----------------------------------------------------------------------

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
            self._csc_check_value(field, value)

    @api.model
    def _csc_check_value(self, field, value):
        """A value (not empty) of a checked type fits its field."""
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
            return
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

    def _csc_require(self, checks, message, **values):
        """Refuse an action while something it needs is not recorded.

        `checks` is a sequence of `(condition, label)` pairs: each label whose condition is false
        is missing. `message` is the translated sentence, with `%(missing)s` for the list of
        what is missing and a placeholder for each of `values` (the record's name); one
        `UserError` lists everything missing at once."""
        missing = [label for condition, label in checks if not condition]
        if missing:
            raise UserError(message % dict(values, missing=", ".join(missing)))
