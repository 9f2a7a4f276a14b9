"""Sealed records (IATF 16949 7.5.3): a finished record's content is hashed and chained.

When a complaint, an 8D report, a signed service report, a zeroed loan slip, a released rework
plan or an issued monthly report is finished, a `csc.record.seal` keeps the SHA-256 of the
canonical form of its audited fields and lines (`_csc_seal_content`,
models/csc_record_seal_mixin.py) and its printed form, stored as an attachment. The seals of one
company and one kind of record form a chain: each seal's chain hash covers the previous one, so
that a seal removed or altered breaks the links after it. A reopening is recorded in the chain
too, and the next finishing seals the new version. Seals are written once, by the system, and
never changed or deleted.

`_csc_verify()` walks every chain and compares each sealed record's current content with its
latest seal: what an edit of the database (outside the application) changed is named.
"""

import hashlib
import json

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Key in the cursor's cache while the system writes seals: no context an RPC caller sends sets it.
_SEALING_KEY = "csc_record_sealing"
# Key in the cursor's pre-commit data: the records whose state changed, by model.
PENDING_KEY = "customer_service_control.record_seal"


class CscRecordSeal(models.Model):
    _name = "csc.record.seal"
    _description = "Record Seal"
    _order = "date_sealed desc, id desc"
    _check_company_auto = True

    # -- fields --------------------------------------------------------------------------------

    name = fields.Char("Seal", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    res_model = fields.Selection(
        selection="_selection_res_model", string="Kind", required=True, readonly=True, index=True
    )
    res_id = fields.Many2oneReference(
        "Record ID", model_field="res_model", required=True, readonly=True, index=True
    )
    res_name = fields.Char("Record", readonly=True)
    version = fields.Integer(readonly=True, help="The record's finished version this seal keeps.")
    event = fields.Selection(
        [("seal", "Sealed"), ("reopen", "Reopened")],
        required=True,
        readonly=True,
        help="Sealed: the finished version's content. Reopened: the record was reopened after "
        "this version (the next finishing seals the new version).",
    )
    sequence = fields.Integer(
        "Chain Position", readonly=True, help="Position in the chain of its company and kind."
    )
    date_sealed = fields.Datetime("Sealed On", readonly=True, index=True)
    user_id = fields.Many2one("res.users", "Sealed By", readonly=True)
    content_hash = fields.Char(
        readonly=True, help="SHA-256 of the canonical form of the record's audited content."
    )
    content_fields = fields.Json(
        "Fields Covered", readonly=True, help="The fields and lines the content hash covers."
    )
    previous_hash = fields.Char(readonly=True, help="Chain hash of the previous seal.")
    chain_hash = fields.Char(
        readonly=True,
        help="SHA-256 of the previous chain hash, the content hash and this seal's own data.",
    )
    attachment_id = fields.Many2one(
        "ir.attachment", "Printed Form", readonly=True, index="btree_not_null", ondelete="set null"
    )
    attachment_checksum = fields.Char(
        "Printed Form Checksum", readonly=True, help="SHA-256 of the stored printed form."
    )
    date_retention = fields.Date(
        "Kept Until",
        compute="_compute_date_retention",
        help="The record and its attachments cannot be deleted or archived before this date.",
    )

    _sql_constraints = [
        (
            "chain_position_uniq",
            "unique(company_id, res_model, sequence)",
            "Two seals cannot take the same place in a chain.",
        ),
        (
            "version_uniq",
            "unique(res_model, res_id, version, event)",
            "A version of a record is sealed once.",
        ),
    ]

    # -- computes ------------------------------------------------------------------------------

    @api.model
    def _selection_res_model(self):
        """The sealed kinds, named as the models are in the user's language."""
        kinds = [
            name
            for name in sorted(self.env)
            if getattr(self.env[name], "_csc_seal_states", None) and not self.env[name]._abstract
        ]
        IrModel = self.env["ir.model"]
        return [(name, IrModel._get(name).name or self.env[name]._description) for name in kinds]

    @api.model
    def _csc_is_sealed_kind(self, model):
        return bool(model in self.env and getattr(self.env[model], "_csc_seal_states", None))

    @api.depends("date_sealed", "company_id.csc_retention_years")
    def _compute_date_retention(self):
        for seal in self:
            seal.date_retention = seal.date_sealed and (
                seal.date_sealed.date() + relativedelta(years=seal.company_id.csc_retention_years)
            )

    @api.depends("res_name", "version", "event")
    def _compute_display_name(self):
        events = dict(self._fields["event"]._description_selection(self.env))
        for seal in self:
            seal.display_name = self.env._(
                "%(record)s v%(version)s (%(event)s)",
                record=seal.res_name or seal.res_id,
                version=seal.version,
                event=events.get(seal.event, ""),
            )

    # -- CRUD: written once by the system, never changed -------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.cr.cache.get(_SEALING_KEY):
            raise UserError(
                self.env._("Seals are made by the system when a record is finished, not by hand.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._("A seal never changes: it is the proof of a finished record.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("A seal is never deleted: it is the proof of a finished record.")
        )

    # -- actions -------------------------------------------------------------------------------

    def action_open_record(self):
        self.ensure_one()
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise UserError(self.env._("The sealed record no longer exists."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": record.id,
            "view_mode": "form",
        }

    # -- sealing -------------------------------------------------------------------------------

    @api.model
    def _csc_seal_pending(self):
        """Seal or record the reopening of the records whose state changed in this transaction
        (run before the commit, when each record has its final content)."""
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, {})
        for model, ids in pending.items():
            records = self.env[model].sudo().with_context(active_test=False)
            records = records.browse(sorted(ids)).exists()
            self._csc_sync(records)
        self.env.flush_all()

    @api.model
    def _csc_sync(self, records):
        """Bring the chain in line with the records: a finished record whose latest seal is
        missing, a reopening or another content gets a new seal; a record no longer finished
        whose latest entry is a seal gets a reopening."""
        latest = self._csc_latest(records)
        for record in records:
            last = latest.get(record.id)
            if record._csc_seal_applies():
                if (
                    not last
                    or last.event == "reopen"
                    or last.content_hash != record._csc_seal_hash(last.content_fields)
                ):
                    version = (last.version if last else 0) + 1
                    self._csc_append(record, "seal", version)
            elif last and last.event == "seal":
                self._csc_append(record, "reopen", last.version)

    @api.model
    def _csc_latest(self, records):
        """The latest seal entry of each record, by record id."""
        seals = self.sudo().search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)],
            order="sequence desc",
        )
        latest = {}
        for seal in seals:
            latest.setdefault(seal.res_id, seal)
        return latest

    @api.model
    def _csc_append(self, record, event, version):
        """Append one entry to the chain of the record's company and kind."""
        company = record.company_id
        spec = record._csc_seal_spec()
        content = record._csc_seal_hash(spec)
        previous = self._csc_chain_head(company, record._name)
        attachment = self.env["ir.attachment"]
        if event == "seal":
            attachment = record._csc_seal_print(version)
        vals = {
            "name": f"{record.display_name} v{version}",
            "company_id": company.id,
            "res_model": record._name,
            "res_id": record.id,
            "res_name": record.display_name,
            "version": version,
            "event": event,
            "sequence": (previous.sequence if previous else 0) + 1,
            "date_sealed": fields.Datetime.now(),
            "user_id": self.env.uid,
            "content_hash": content,
            "content_fields": spec,
            "previous_hash": previous.chain_hash if previous else "",
            "attachment_id": attachment.id,
            "attachment_checksum": _sha256(attachment.raw or b"") if attachment else False,
        }
        vals["chain_hash"] = self._csc_chain_hash(vals)
        cache = self.env.cr.cache
        cache[_SEALING_KEY] = cache.get(_SEALING_KEY, 0) + 1
        try:
            return self.sudo().create(vals)
        finally:
            cache[_SEALING_KEY] -= 1

    @api.model
    def _csc_chain_head(self, company, model):
        """The last seal of a chain, its row locked for this transaction: two transactions
        sealing at once in the same chain do not both append after it (the second fails at
        once and is retried; the unique chain position refuses a fork in any case)."""
        head = self.sudo().search(
            [("company_id", "=", company.id), ("res_model", "=", model)],
            order="sequence desc",
            limit=1,
        )
        if head:
            self.env.cr.execute(
                SQL("SELECT id FROM csc_record_seal WHERE id = %s FOR UPDATE NOWAIT", head.id)
            )
        return head

    @api.model
    def _csc_chain_hash(self, vals):
        """SHA-256 of the previous chain hash, the content hash and what the seal states."""
        user = vals["user_id"]
        date = vals["date_sealed"]
        header = "|".join(
            str(part)
            for part in (
                vals["res_model"],
                vals["res_id"],
                vals["version"],
                vals["event"],
                vals["sequence"],
                fields.Datetime.to_string(date) if date else "",
                user.id if isinstance(user, models.BaseModel) else user or "",
                vals["attachment_checksum"] or "",
            )
        )
        return _sha256(f"{vals['previous_hash'] or ''}{vals['content_hash']}{header}".encode())

    # -- retention -----------------------------------------------------------------------------

    @api.model
    def _csc_retained(self, model, ids):
        """The records of `model` among `ids` still inside their retention period, with the
        date it ends: {id: date}."""
        if not ids or not self._csc_is_sealed_kind(model):
            return {}
        seals = self.sudo().search([("res_model", "=", model), ("res_id", "in", list(ids))])
        today = fields.Date.context_today(self)
        kept = {}
        for seal in seals.filtered(lambda s: s.date_retention and s.date_retention > today):
            kept[seal.res_id] = max(seal.date_retention, kept.get(seal.res_id, today))
        return kept

    # -- verification --------------------------------------------------------------------------

    @api.model
    def _csc_verify(self, company=None):
        """Walk every chain (of `company`, or of all companies): a list of the problems found,
        first the first broken link of each chain, each as `{"seal": seal, "record": "model,id
        name", "problem": text}`; empty when every link, printed form and sealed record still
        verifies."""
        self._csc_seal_pending()
        self.env.invalidate_all()
        seals = self.sudo().with_context(active_test=False)
        domain = [("company_id", "=", company.id)] if company else []
        problems = []
        chains = {}
        for seal in seals.search(domain, order="company_id, res_model, sequence"):
            chains.setdefault((seal.company_id.id, seal.res_model), []).append(seal.id)
        for ids in chains.values():
            chain = seals.browse(ids)
            problems += self._csc_verify_chain(chain)
            problems += self._csc_verify_records(chain)
        problems += self._csc_verify_unsealed(company)
        return problems

    @api.model
    def _csc_verify_chain(self, chain):
        """The links of one chain and the printed forms its seals keep."""
        problems = []
        previous_hash = ""
        expected = 1
        today = fields.Date.context_today(self)
        for seal in chain:
            vals = seal.read(
                [
                    "res_model",
                    "res_id",
                    "version",
                    "event",
                    "sequence",
                    "date_sealed",
                    "user_id",
                    "content_hash",
                    "previous_hash",
                    "attachment_checksum",
                ],
                load=None,
            )[0]
            if seal.sequence != expected:
                problems.append(
                    seal._csc_problem(
                        self.env._(
                            "The chain skips position %(position)s: a seal was removed.",
                            position=expected,
                        )
                    )
                )
            expected = seal.sequence + 1
            if (seal.previous_hash or "") != previous_hash:
                problems.append(
                    seal._csc_problem(
                        self.env._("The chain is broken: it does not follow the seal before it.")
                    )
                )
            elif self._csc_chain_hash(vals) != seal.chain_hash:
                problems.append(
                    seal._csc_problem(
                        self.env._("The seal itself was altered: its chain hash does not match.")
                    )
                )
            previous_hash = seal.chain_hash or ""
            if seal.event != "seal":
                continue
            attachment = seal.attachment_id.sudo()
            if not attachment.exists():
                if seal.date_retention and seal.date_retention > today:
                    problems.append(
                        seal._csc_problem(self.env._("The stored printed form is missing."))
                    )
            elif _sha256(attachment.raw or b"") != seal.attachment_checksum:
                problems.append(
                    seal._csc_problem(self.env._("The stored printed form was altered."))
                )
        return problems

    @api.model
    def _csc_verify_records(self, chain):
        """Each record's current content against its latest seal."""
        problems = []
        latest = {}
        for seal in chain:
            latest[seal.res_id] = seal
        model = chain[:1].res_model
        if model not in self.env:
            return problems
        records = self.env[model].sudo().with_context(active_test=False)
        existing = set(records.browse(list(latest)).exists().ids)
        today = fields.Date.context_today(self)
        for res_id, seal in latest.items():
            if seal.event != "seal":
                continue
            if res_id not in existing:
                if seal.date_retention and seal.date_retention > today:
                    problems.append(
                        seal._csc_problem(
                            self.env._("The sealed record was deleted inside its retention period.")
                        )
                    )
                continue
            record = records.browse(res_id)
            if record._csc_seal_hash(seal.content_fields) != seal.content_hash:
                problems.append(
                    seal._csc_problem(
                        self.env._(
                            "The record's content no longer matches its seal (version "
                            "%(version)s of %(date)s).",
                            version=seal.version,
                            date=seal.date_sealed,
                        )
                    )
                )
        return problems

    @api.model
    def _csc_verify_unsealed(self, company):
        """Finished records without their seal (a state set outside the application)."""
        problems = []
        for model, _label in self._selection_res_model():
            records = self.env[model].sudo().with_context(active_test=False)
            domain = records._csc_seal_domain()
            if company:
                domain = [*domain, ("company_id", "=", company.id)]
            finished = records.search(domain)
            latest = self._csc_latest(finished)
            for record in finished:
                last = latest.get(record.id)
                if not last or last.event != "seal":
                    problems.append(
                        {
                            "seal": self.browse(),
                            "record": f"{model},{record.id} {record.display_name}",
                            "problem": self.env._("The record is finished but was never sealed."),
                        }
                    )
        return problems

    def _csc_problem(self, problem):
        self.ensure_one()
        return {
            "seal": self,
            "record": f"{self.res_model},{self.res_id} {self.res_name or ''}".strip(),
            "problem": problem,
        }

    @api.model
    def _csc_seal_missing(self):
        """Seal the finished records that have no seal at all (records finished before sealing
        was installed). Run at each installation or upgrade of the addon; nothing to do the next
        time. A record with seals is left to the verification.

        Each seal renders and stores the record's printed form: the records are sealed in the
        background, one job per batch (an upgrade of a database with years of finished records
        is not held up by rendering them; the verification names those still waiting)."""
        for model, _label in self._selection_res_model():
            records = self.env[model].sudo().with_context(active_test=False)
            finished = records.search(records._csc_seal_domain())
            latest = self._csc_latest(finished)
            missing = finished.filtered(lambda r, latest=latest: r.id not in latest)
            if missing:
                records._csc_delay_batches(
                    "_csc_seal_first",
                    missing,
                    description=self.env._("Seal the finished records of %s", _label),
                    key="seal-missing",
                )


def _sha256(data):
    return hashlib.sha256(data).hexdigest()


def canonical_json(payload):
    """One text for one content: keys sorted, no spaces, Unicode kept."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
