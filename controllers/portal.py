"""The customer portal (/my) of the customer service: a customer's contacts file a complaint or
a quality feedback (through helpdesk_mgmt's own /new/ticket form, which opens the complaint the
way the desk does), follow their complaints, the customer-facing part of each 8D, their returns
and service visits, answer a quote, sign a service report remotely and answer the satisfaction
surveys they were sent.

Every page reads its record through `_document_check_access` (record rules of the portal group,
or the record's access token as Odoo's portal does) and renders only the fields it shows; what a
contact changes goes through the model's checked portal methods."""

from dateutil.relativedelta import relativedelta
from werkzeug.exceptions import NotFound

from odoo import fields
from odoo import http
from odoo.exceptions import AccessError
from odoo.exceptions import MissingError
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.portal.controllers.mail import PortalChatter
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.helpdesk_ticket import COMPLAINT_KINDS
from ..models.mail_message import PORTAL_MODELS

# What a customer may file on the portal: the kinds of customer message of the desk (R-B2).
PORTAL_KINDS = (
    "complaint",
    "quality_feedback",
    "service_request",
    "return_request",
    "consultation",
    "suggestion",
)


class CscCustomerPortal(CustomerPortal):
    def _csc_open_surveys_domain(self):
        return [
            ("partner_id", "=", request.env.user.partner_id.id),
            ("state", "!=", "done"),
            ("test_entry", "=", False),
            ("survey_id.active", "=", True),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        env = request.env
        for counter, model in (
            ("csc_complaint_count", "csc.complaint"),
            ("csc_return_count", "csc.complaint.return"),
            ("csc_visit_count", "csc.service.visit"),
        ):
            if counter in counters:
                values[counter] = (
                    env[model].search_count([]) if env[model].has_access("read") else 0
                )
        if "csc_ppm_count" in counters:
            Ppm = env["csc.ppm.report"]
            values["csc_ppm_count"] = (
                Ppm.search_count(self._csc_ppm_domain()) if Ppm.has_access("read") else 0
            )
        if "csc_survey_count" in counters:
            # sudo: the contact's own invitations (survey's answers are not readable by portal
            # users; the link carries the answer's token, as the invitation mail does)
            values["csc_survey_count"] = (
                env["survey.user_input"].sudo().search_count(self._csc_open_surveys_domain())
            )
        return values

    def _csc_list(self, model, url, page, order, history_key, domain=None):
        Model = request.env[model]
        if not Model.has_access("read"):
            return None, None
        domain = domain or []
        pager = portal_pager(
            url=url,
            total=Model.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        records = Model.search(
            domain, order=order, limit=self._items_per_page, offset=pager["offset"]
        )
        request.session[history_key] = records.ids[:100]
        return records.sudo(), pager

    def _csc_chatter_values(self, record):
        """The customer's own contacts write in the record's chatter as themselves, through
        Odoo's signed partner link (pid / hash) rather than a write access to the record."""
        user = request.env.user
        if user._is_public() or (
            user.partner_id.commercial_partner_id != record.partner_id.commercial_partner_id
        ):
            return {}
        return {"pid": user.partner_id.id, "hash": record._sign_token(user.partner_id.id)}

    def _csc_document(self, model, record_id, access_token):
        """The record, sudo, when the user may read it (record rules or token); None otherwise."""
        try:
            return self._document_check_access(model, record_id, access_token=access_token)
        except (AccessError, MissingError):
            return None

    # Complaints -----------------------------------------------------------------------------

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_csc_complaints(self, page=1, **kw):
        complaints, pager = self._csc_list(
            "csc.complaint",
            "/my/complaints",
            page,
            "date_received desc, id desc",
            "my_csc_complaints",
        )
        if complaints is None:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"complaints": complaints, "pager": pager, "page_name": "csc_complaints"})
        return request.render("customer_service_control.portal_my_csc_complaints", values)

    @http.route("/my/complaints/<int:complaint_id>", type="http", auth="public", website=True)
    def portal_my_csc_complaint(self, complaint_id, access_token=None, message=None, **kw):
        complaint = self._csc_document("csc.complaint", complaint_id, access_token)
        if complaint is None:
            return request.redirect("/my")
        user = request.env.user
        # the photos and files the customer's contacts sent with it, not the staff's documents
        attachments = complaint.ticket_id.attachment_ids.filtered(lambda a: a.create_uid.share)
        attachments.generate_access_token()
        values = {
            "complaint": complaint,
            "reports": complaint.eightd_ids.filtered(lambda r: r.state != "cancelled"),
            "returns": complaint.return_ids,
            "visits": complaint.env["csc.service.visit"].search(
                [
                    ("complaint_id", "=", complaint.id),
                    ("partner_id", "=", complaint.partner_id.id),
                    ("is_field_service", "=", True),
                ]
            ),
            "attachments": attachments,
            "can_react": not user._is_public()
            and user.partner_id.commercial_partner_id == complaint.partner_id.commercial_partner_id
            and complaint.state == "solved"
            and not complaint.customer_accepts,
            "message": message,
            "page_name": "csc_complaint",
            **self._csc_chatter_values(complaint),
        }
        values = self._get_page_view_values(
            complaint, access_token, values, "my_csc_complaints", False, **kw
        )
        return request.render("customer_service_control.portal_my_csc_complaint", values)

    @http.route(
        "/my/complaints/<int:complaint_id>/reaction",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_csc_complaint_reaction(self, complaint_id, decision=None, comment=None, **kw):
        """The customer's contact accepts or rejects the disposition: only the complaint's
        customer, only while the disposition awaits the reaction (checked again by the model,
        rows locked)."""
        complaint = self._csc_document("csc.complaint", complaint_id, None)
        if complaint is None or decision not in ("accept", "reject"):
            return request.redirect("/my")
        try:
            complaint._csc_portal_react(request.env.user, decision == "accept", comment)
        except AccessError:
            return request.redirect("/my")
        except UserError:
            return request.redirect(f"{complaint.access_url}?message=reaction_error")
        return request.redirect(f"{complaint.access_url}?message=reaction_{decision}")

    @http.route("/my/8d/<int:report_id>", type="http", auth="public", website=True)
    def portal_my_csc_eightd(self, report_id, access_token=None, message=None, **kw):
        report = self._csc_document("csc.eightd", report_id, access_token)
        if report is None or report.state == "cancelled":
            return request.redirect("/my")
        user = request.env.user
        values = {
            "report": report,
            "complaint": report.complaint_id,
            "signed": report._signed_level(),
            # when each discipline was signed off (not by whom: the people stay inside)
            "signoffs": report.signoff_ids,
            # the customer's review of each submitted step, and whether this contact may give it
            "reviews": report._review_status(),
            "can_review": not user._is_public()
            and user.partner_id.commercial_partner_id == report.partner_id.commercial_partner_id,
            "message": message,
            "page_name": "csc_eightd",
        }
        values = self._get_page_view_values(
            report, access_token, values, "my_csc_eightd", False, **kw
        )
        return request.render("customer_service_control.portal_my_csc_eightd", values)

    @http.route(
        "/my/8d/<int:report_id>/review",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_csc_eightd_review(self, report_id, step=None, decision=None, comment=None, **kw):
        """The customer's contact accepts or rejects a submitted step of the 8D (D3, D4,
        D5-D7): only a contact of the 8D's customer (another customer's 8D is not found), only
        a step signed off and not reviewed yet (checked again by the model, rows locked)."""
        report = self._csc_document("csc.eightd", report_id, None)
        if report is None or report.state == "cancelled":
            raise NotFound()
        if decision not in ("accept", "reject"):
            return request.redirect(f"{report.access_url}?message=review_error")
        try:
            report._csc_portal_review(request.env.user, step, decision == "accept", comment)
        except AccessError as error:
            raise NotFound() from error
        except UserError:
            return request.redirect(f"{report.access_url}?message=review_error")
        return request.redirect(f"{report.access_url}?message=review_{decision}")

    # Returns --------------------------------------------------------------------------------

    @http.route(
        ["/my/returns", "/my/returns/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_csc_returns(self, page=1, **kw):
        returns, pager = self._csc_list(
            "csc.complaint.return", "/my/returns", page, "id desc", "my_csc_returns"
        )
        if returns is None:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"returns": returns, "pager": pager, "page_name": "csc_returns"})
        return request.render("customer_service_control.portal_my_csc_returns", values)

    @http.route("/my/returns/<int:return_id>", type="http", auth="public", website=True)
    def portal_my_csc_return(self, return_id, access_token=None, **kw):
        line = self._csc_document("csc.complaint.return", return_id, access_token)
        if line is None:
            return request.redirect("/my")
        values = {"line": line, "page_name": "csc_return"}
        values = self._get_page_view_values(
            line, access_token, values, "my_csc_returns", False, **kw
        )
        return request.render("customer_service_control.portal_my_csc_return", values)

    # Service visits -------------------------------------------------------------------------

    @http.route(
        ["/my/service_visits", "/my/service_visits/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_csc_visits(self, page=1, **kw):
        visits, pager = self._csc_list(
            "csc.service.visit",
            "/my/service_visits",
            page,
            "date_request desc, id desc",
            "my_csc_visits",
        )
        if visits is None:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"visits": visits, "pager": pager, "page_name": "csc_visits"})
        return request.render("customer_service_control.portal_my_csc_visits", values)

    @http.route("/my/service_visits/<int:visit_id>", type="http", auth="public", website=True)
    def portal_my_csc_visit(self, visit_id, access_token=None, message=None, **kw):
        visit = self._csc_document("csc.service.visit", visit_id, access_token)
        if visit is None or not visit.is_field_service:
            return request.redirect("/my")
        user = request.env.user
        is_customer = (
            not user._is_public()
            and user.partner_id.commercial_partner_id == visit.partner_id.commercial_partner_id
        )
        surveys = visit.survey_input_ids.filtered(
            lambda answer: answer.partner_id == user.partner_id and answer.state != "done"
        )
        values = {
            "visit": visit,
            "can_answer_quote": is_customer
            and visit.state == "triaged"
            and visit.quote_state == "sent",
            "can_sign": is_customer and visit.state == "on_site" and not visit.customer_signature,
            # The quotation the customer accepts and signs on sale's own portal page.
            "quotation_url": is_customer
            and visit.sudo().sale_order_id
            and visit.sudo().sale_order_id.get_portal_url(),
            "signature_label": visit._csc_portal_signature_label(),
            "surveys": surveys,
            "message": message,
            "page_name": "csc_visit",
            **self._csc_chatter_values(visit),
        }
        values = self._get_page_view_values(
            visit, access_token, values, "my_csc_visits", False, **kw
        )
        return request.render("customer_service_control.portal_my_csc_visit", values)

    @http.route(
        "/my/service_visits/<int:visit_id>/quote",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_csc_visit_quote(self, visit_id, decision=None, **kw):
        """The customer's contact confirms or refuses the quote: only the visit's customer, only
        while the quote is sent (checked again by the model, rows locked)."""
        visit = self._csc_document("csc.service.visit", visit_id, None)
        if visit is None or decision not in ("confirm", "refuse"):
            return request.redirect("/my")
        try:
            visit._csc_portal_answer_quote(request.env.user, decision == "confirm")
        except AccessError:
            return request.redirect("/my")
        except UserError:
            return request.redirect(f"{visit.access_url}?message=quote_error")
        return request.redirect(f"{visit.access_url}?message=quote_{decision}")

    @http.route(
        "/my/service_visits/<int:visit_id>/sign",
        type="json",
        auth="user",
        website=True,
    )
    def portal_my_csc_visit_sign(self, visit_id, name=None, signature=None, **kw):
        """The signature widget's call (portal.signature_form): the service report, or the
        installation acceptance, signed by the customer's contact."""
        visit = self._csc_document("csc.service.visit", visit_id, None)
        if visit is None:
            return {"error": request.env._("This service visit is not yours.")}
        try:
            visit._csc_portal_sign(request.env.user, name, signature)
        except AccessError:
            return {"error": request.env._("This service visit is not yours.")}
        except UserError as error:
            return {"error": str(error)}
        return {
            "force_refresh": True,
            "redirect_url": f"{visit.access_url}?message=signed",
        }

    # PPM scorecard --------------------------------------------------------------------------

    def _csc_ppm_domain(self):
        """The contact's own customer (the record rules say the same for portal users)."""
        return [("partner_id", "=", request.env.user.partner_id.commercial_partner_id.id)]

    @http.route(["/my/ppm", "/my/ppm/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_csc_ppm(self, page=1, **kw):
        """The customer's PPM by month and product against its targets, and over the last
        12 months."""
        domain = self._csc_ppm_domain()
        rows, pager = self._csc_list(
            "csc.ppm.report",
            "/my/ppm",
            page,
            "month desc, product_id",
            "my_csc_ppm",
            domain=domain,
        )
        if rows is None:
            return request.redirect("/my")
        Ppm = request.env["csc.ppm.report"]
        start = fields.Date.context_today(Ppm).replace(day=1) - relativedelta(months=11)
        last_12 = Ppm._ppm_figures([*domain, ("month", ">=", start)], [])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "rows": rows,
                "last_12": last_12[0] if last_12 and last_12[0]["delivered"] else None,
                "pager": pager,
                "page_name": "csc_ppm",
            }
        )
        return request.render("customer_service_control.portal_my_csc_ppm", values)

    # Satisfaction surveys -------------------------------------------------------------------

    @http.route("/my/surveys", type="http", auth="user", website=True)
    def portal_my_csc_surveys(self, **kw):
        # sudo: the contact's own invitations, found by their partner; each link carries the
        # answer's token like the invitation mail
        answers = (
            request.env["survey.user_input"]
            .sudo()
            .search(self._csc_open_surveys_domain(), order="create_date desc")
        )
        values = self._prepare_portal_layout_values()
        values.update({"answers": answers, "page_name": "csc_surveys"})
        return request.render("customer_service_control.portal_my_csc_surveys", values)


class CscHelpdeskTicketController(HelpdeskTicketController):
    """helpdesk_mgmt's own portal form files the customer's message; a complaint or a quality
    feedback opens its complaint the way the desk does (`_csc_create_complaints`), so that the
    intake deadlines (R-B) run from the moment the customer filed it."""

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        kinds = dict(
            request.env["helpdesk.ticket"]._fields["csc_kind"]._description_selection(request.env)
        )
        values["csc_kinds"] = [(kind, kinds[kind]) for kind in PORTAL_KINDS]
        values["csc_kind"] = kw.get("csc_kind") if kw.get("csc_kind") in PORTAL_KINDS else False
        return values

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        if kw.get("csc_kind") in PORTAL_KINDS:
            vals["csc_kind"] = kw["csc_kind"]
        return vals

    @http.route()
    def submit_ticket(self, **kw):
        response = super().submit_ticket(**kw)
        if kw.get("csc_kind") not in COMPLAINT_KINDS:
            return response
        ticket_id = response.location.rstrip("/").rsplit("/", 1)[-1]
        if not ticket_id.isdigit():
            return response
        # sudo: created by helpdesk's controller as sudo; checked to be this user's ticket
        ticket = request.env["helpdesk.ticket"].sudo().browse(int(ticket_id))
        user = request.env.user
        if ticket.partner_id != user.partner_id or ticket.csc_complaint_ids:
            return response
        complaint = ticket._csc_create_complaints()
        return request.redirect(complaint.access_url)


class CscPortalChatter(PortalChatter):
    """On the addon's records, the portal's chatter shows the correspondence with the customer
    (what their contacts wrote and what was addressed to them), not the staff's messages."""

    @http.route()
    def portal_message_fetch(
        self, thread_model, thread_id, limit=10, after=None, before=None, **kw
    ):
        if thread_model in PORTAL_MODELS:
            # sudo: which messages are customer correspondence; the fetch below still checks
            # the user's access to the record and its messages
            record = request.env[thread_model].sudo().browse(int(thread_id)).exists()
            kw["csc_message_ids"] = record._csc_customer_message_ids() if record else []
        return super().portal_message_fetch(
            thread_model, thread_id, limit=limit, after=after, before=before, **kw
        )

    def _setup_portal_message_fetch_extra_domain(self, data):
        domain = super()._setup_portal_message_fetch_extra_domain(data)
        if "csc_message_ids" in data:
            domain = [*domain, ("id", "in", data["csc_message_ids"])]
        return domain
