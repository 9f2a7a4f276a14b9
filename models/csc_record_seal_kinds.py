"""The kinds of sealed records (models/csc_record_seal.py): when each is finished, the printed
form kept with its seal and what its seal covers beyond the default
(models/csc_record_seal_mixin.py)."""

from odoo import models

MODULE = "customer_service_control"


class CscComplaint(models.Model):
    _inherit = "csc.complaint"

    _csc_seal_states = ("closed",)
    _csc_seal_report = f"{MODULE}.csc_complaint_form_report"
    # The customer's reaction is forwarded to the departments after closing too (R-C8); the
    # reminders' bookkeeping is not the record.
    _csc_seal_excluded_fields = frozenset(
        {"active", "reaction_sent_date", "date_deadline_reminded"}
    )


class CscEightd(models.Model):
    _inherit = "csc.eightd"

    _csc_seal_states = ("closed",)
    _csc_seal_report = f"{MODULE}.csc_eightd_report"

    def _csc_seal_lines(self):
        # The 5-Why chains and the Ishikawa grid of D4, where the addon has them.
        analysis = {name: None for name in ("why_line_ids", "ishikawa_line_ids") if name in self}
        return {
            **analysis,
            "team_line_ids": None,
            "containment_line_ids": None,
            "cause_line_ids": None,
            "action_ids": (
                "name",
                "reference",
                "action_type",
                "user_id",
                "department_id",
                "verifier_id",
                "date_due",
                "date_done",
                "description",
                "state",
                "effectiveness_note",
                "date_verified",
            ),
            "document_line_ids": None,
            "signoff_ids": None,
        }


class CscServiceVisit(models.Model):
    _inherit = "csc.service.visit"

    # The service report of a field service, once the customer signed it off on site: what the
    # signature covers and how the visit went; the trip report and its verification follow.
    _csc_seal_states = ("done", "reported", "verified")
    _csc_seal_report = f"{MODULE}.csc_service_report"

    def _csc_seal_applies(self):
        return self.is_field_service and super()._csc_seal_applies()

    def _csc_seal_domain(self):
        return [*super()._csc_seal_domain(), ("is_field_service", "=", True)]

    def _csc_seal_fields(self):
        signed = (name for name in self._csc_signed_fields if self._fields[name].type != "one2many")
        return sorted(
            {
                *signed,
                "name",
                "company_id",
                "date_arrival",
                "date_end",
                "leave_approved_by",
            }
        )

    def _csc_seal_lines(self):
        return {"line_ids": None}


class CscPartLoan(models.Model):
    _inherit = "csc.part.loan"

    _csc_seal_states = ("zeroed",)
    _csc_seal_report = f"{MODULE}.csc_loan_slip_report"

    def _csc_seal_lines(self):
        return {"line_ids": None}


class CscReworkPlan(models.Model):
    _inherit = "csc.rework.plan"

    _csc_seal_states = ("done",)
    _csc_seal_report = f"{MODULE}.csc_rework_plan_report"


class CscMonthlyReport(models.Model):
    _inherit = "csc.monthly.report"

    _csc_seal_states = ("issued",)
    _csc_seal_report = f"{MODULE}.csc_monthly_report_pdf"
    # Recorded when the issued report is e-mailed to the general manager.
    _csc_seal_excluded_fields = frozenset({"active", "date_sent"})
