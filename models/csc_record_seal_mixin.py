"""What a sealed record offers its seal (models/csc_record_seal.py), on the shared workflow.

Each kind of record says in which finished states it is sealed (`_csc_seal_states`), which
printed form is stored with the seal (`_csc_seal_report`) and which fields and lines its seal
covers (`_csc_seal_fields`, `_csc_seal_lines`; by default its own stored data, without what may
still change once it is finished). The kinds are declared in models/csc_record_seal_kinds.py.

A sealed record, and the files attached to it, are kept for the company's retention period
(`res.company.csc_retention_years`), counted from its latest seal: neither deleted nor archived
before it ends, by anybody.
"""

import hashlib

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from .csc_record_seal import PENDING_KEY
from .csc_record_seal import canonical_json

# Fields of the mixins that never belong to a record's content (chatter, activities, portal).
CONTENT_MIXINS = ("mail.thread", "mail.activity.mixin", "portal.mixin")


class CscWorkflowMixin(models.AbstractModel):
    _inherit = "csc.workflow.mixin"

    # Finished states whose content is sealed; none: the model is not sealed.
    _csc_seal_states = ()
    # The printed form stored with each seal: the xml id of its report action.
    _csc_seal_report = None
    # Fields that may still change on a finished record besides the chatter and activities.
    _csc_seal_excluded_fields = frozenset({"active"})

    # -- CRUD: retention -----------------------------------------------------------------------

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._csc_check_retention(self.env._("archived"))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_retained(self):
        self._csc_check_retention(self.env._("deleted"))

    def _csc_check_retention(self, what):
        """Refuse to delete or archive sealed records inside their retention period."""
        if not self._csc_seal_states or not self.ids:
            return
        kept = self.env["csc.record.seal"]._csc_retained(self._name, self.ids)
        if kept:
            record = self.browse(next(iter(kept)))
            raise UserError(
                self.env._(
                    "%(record)s is a sealed record kept until %(date)s (retention period of "
                    "%(years)s years from its seal): it cannot be %(what)s before then.",
                    record=record.sudo().display_name,
                    date=kept[record.id],
                    years=record.sudo().company_id.csc_retention_years,
                    what=what,
                )
            )

    # -- sealing -------------------------------------------------------------------------------

    def _csc_seal_later(self, vals):
        """The state of these records changed, or their own transition changed them: before the
        transaction commits, the finished ones are sealed (a new version when a transition
        changed what their seal covers) and the reopened ones recorded in their chain."""
        if not self._csc_seal_states or not self.ids:
            return
        if "state" not in vals and not self._csc_unguarded():
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.setdefault(PENDING_KEY, {})
        if not pending:
            precommit.add(self.env["csc.record.seal"].sudo()._csc_seal_pending)
        pending.setdefault(self._name, set()).update(self.ids)

    def _csc_seal_first(self, records):
        """Job: seal those of `records` that are finished and have no seal yet (a job run twice
        seals nothing twice)."""
        Seal = self.env["csc.record.seal"].sudo()
        records = records.sudo().filtered(lambda record: record._csc_seal_applies())
        latest = Seal._csc_latest(records)
        for record in records.filtered(lambda r: r.id not in latest):
            Seal._csc_append(record, "seal", 1)

    def _csc_seal_applies(self):
        """Whether this record is finished: its content is sealed."""
        self.ensure_one()
        return self.state in self._csc_seal_states

    @api.model
    def _csc_seal_domain(self):
        """The finished records (as `_csc_seal_applies`)."""
        return [("state", "in", list(self._csc_seal_states))]

    def _csc_seal_fields(self):
        """The fields the seal covers: the record's own stored data (neither computed from
        other data nor related), without what may still change once it is finished."""
        free = self._csc_free_fields() | set(self._csc_seal_excluded_fields)
        return sorted(
            name
            for name, field in self._fields.items()
            if field.store
            and name not in free
            and not field.related
            and field.type != "one2many"
            and not (field.compute and field.readonly)
        )

    def _csc_seal_lines(self):
        """The lines the seal covers: {one2many field: line field names, or None for the
        line's own stored data}."""
        return {}

    def _csc_seal_spec(self):
        """What the seal covers, as stored with it: {"fields": names, "lines": {one2many field:
        line field names}}. A seal is verified against what it covered when it was made."""
        lines = {}
        for name, names in self._csc_seal_lines().items():
            children = self.env[self._fields[name].comodel_name]
            lines[name] = list(names or _line_fields(children, self._fields[name].inverse_name))
        return {"fields": list(self._csc_seal_fields()), "lines": lines}

    def _csc_seal_content(self, spec=None):
        """The canonical form of the record's audited content and lines."""
        self.ensure_one()
        spec = spec or self._csc_seal_spec()
        record = self.sudo().with_context(bin_size=False, lang="en_US", active_test=False)
        lines = {}
        for name, names in spec["lines"].items():
            children = record[name].sorted("id") if name in record._fields else []
            lines[name] = [{"id": child.id, **_values(child, names)} for child in children]
        return {
            "model": self._name,
            "id": self.id,
            "fields": _values(record, spec["fields"]),
            "lines": lines,
        }

    def _csc_seal_hash(self, spec=None):
        self.ensure_one()
        content = self._csc_seal_content(spec)
        return hashlib.sha256(canonical_json(content).encode()).hexdigest()

    def _csc_seal_print(self, version):
        """The record's printed form, stored as an attachment of the record (the PDF its report
        stored itself when it keeps what it prints)."""
        self.ensure_one()
        attachment = self.env["ir.attachment"]
        if not self._csc_seal_report:
            return attachment
        report = self.env.ref(self._csc_seal_report).sudo()
        record = self.sudo()
        content, kind = (
            self.env["ir.actions.report"].sudo()._render_qweb_pdf(report.report_name, record.ids)
        )
        stored = report.attachment and report.retrieve_attachment(record)
        if stored:
            return stored
        if isinstance(content, str):
            content = content.encode()
        extension = "pdf" if content[:4] == b"%PDF" else kind
        return attachment.sudo().create(
            {
                "name": self.env._(
                    "%(form)s - %(record)s (sealed v%(version)s).%(extension)s",
                    form=report.name,
                    record=record.display_name,
                    version=version,
                    extension=extension,
                ),
                "raw": content,
                "res_model": self._name,
                "res_id": self.id,
                "type": "binary",
            }
        )


def _content_fields(lines):
    free = set(models.MAGIC_COLUMNS)
    for mixin in CONTENT_MIXINS:
        if mixin in lines.env:
            free |= set(lines.env[mixin]._fields)
    return free


def _line_fields(lines, inverse):
    """A line's own stored data (quantities computed from its moves included)."""
    free = _content_fields(lines) | {inverse, "active"}
    return sorted(
        name
        for name, field in lines._fields.items()
        if field.store and name not in free and not field.related and field.type != "one2many"
    )


def _values(record, names):
    """The values of the fields `names` (a field the model no longer has counts as missing)."""
    return {
        name: _value(record._fields[name], record[name]) if name in record._fields else "?"
        for name in names
    }


def _value(field, value):
    """A value in a form that reads back identically from the database."""
    kind = field.type
    if kind == "boolean":
        return bool(value)
    if kind == "many2one":
        return value.id or None
    if kind in ("many2many", "one2many"):
        return sorted(value.ids)
    if value is False or value is None:
        return None
    if kind == "binary":
        data = value if isinstance(value, bytes) else str(value).encode()
        return hashlib.sha256(data).hexdigest()
    if kind == "date":
        return fields.Date.to_string(value)
    if kind == "datetime":
        return fields.Datetime.to_string(value)
    if kind in ("float", "monetary"):
        return repr(float(value))
    if kind == "json":
        return _json_value(value)
    if kind == "integer":
        return value
    return str(value)


def _json_value(value):
    """A JSON value as PostgreSQL's jsonb gives it back: no negative zero."""
    if isinstance(value, float):
        return value + 0.0
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value
