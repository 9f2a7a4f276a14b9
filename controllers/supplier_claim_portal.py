"""The supplier's portal (/my/supplier-claims): a supplier's contacts (portal users of the
supplier) follow the claims on their supplier, download the claim, confirm the containment and
send the 8D report. Every page reads the claim through `_document_check_access` (the record
rules of the portal group: only their own supplier's claims, once sent); what a contact sends
goes through the claim's checked portal methods."""

from odoo import http
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

CLAIM = "csc.supplier.claim"
CLAIM_REPORT = "customer_service_control.csc_supplier_claim_report"


class CscSupplierClaimPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "csc_supplier_claim_count" in counters:
            Claim = request.env[CLAIM]
            values["csc_supplier_claim_count"] = (
                Claim.search_count([]) if Claim.has_access("read") else 0
            )
        return values

    def _csc_claim(self, claim_id, access_token=None):
        return self._csc_document(CLAIM, claim_id, access_token)

    @http.route(
        ["/my/supplier-claims", "/my/supplier-claims/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_csc_supplier_claims(self, page=1, **kw):
        claims, pager = self._csc_list(
            CLAIM, "/my/supplier-claims", page, request.env[CLAIM]._order, "my_csc_supplier_claims"
        )
        if claims is None:
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"claims": claims, "pager": pager, "page_name": "csc_supplier_claims"})
        return request.render("customer_service_control.portal_my_csc_supplier_claims", values)

    @http.route("/my/supplier-claims/<int:claim_id>", type="http", auth="public", website=True)
    def portal_my_csc_supplier_claim(self, claim_id, access_token=None, message=None, **kw):
        claim = self._csc_claim(claim_id, access_token)
        if claim is None:
            return request.redirect("/my")
        user = request.env.user
        is_supplier = (
            not user._is_public()
            and user.partner_id.commercial_partner_id == claim.partner_id.commercial_partner_id
        )
        values = {
            "claim": claim,
            "can_answer": is_supplier and claim.state == "sent",
            "message": message,
            "page_name": "csc_supplier_claim",
        }
        if is_supplier:
            values.update(
                {"pid": user.partner_id.id, "hash": claim._sign_token(user.partner_id.id)}
            )
        values = self._get_page_view_values(
            claim, access_token, values, "my_csc_supplier_claims", False, **kw
        )
        return request.render("customer_service_control.portal_my_csc_supplier_claim", values)

    @http.route("/my/supplier-claims/<int:claim_id>/pdf", type="http", auth="user", website=True)
    def portal_my_csc_supplier_claim_pdf(self, claim_id, **kw):
        claim = self._csc_claim(claim_id)
        if claim is None:
            return request.redirect("/my")
        return self._show_report(claim, "pdf", CLAIM_REPORT, download=True)

    @http.route(
        "/my/supplier-claims/<int:claim_id>/containment",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_csc_supplier_claim_containment(self, claim_id, containment=None, **kw):
        claim = self._csc_claim(claim_id)
        if claim is None:
            return request.redirect("/my")
        try:
            claim._csc_portal_acknowledge(request.env.user, containment)
        except AccessError:
            return request.redirect("/my")
        except UserError:
            return request.redirect(f"{claim.access_url}?message=error")
        return request.redirect(f"{claim.access_url}?message=acknowledged")

    @http.route(
        "/my/supplier-claims/<int:claim_id>/eightd",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_csc_supplier_claim_eightd(
        self, claim_id, root_cause=None, actions=None, eightd_file=None, **kw
    ):
        claim = self._csc_claim(claim_id)
        if claim is None:
            return request.redirect("/my")
        content = eightd_file.read() if eightd_file else None
        filename = eightd_file.filename if eightd_file else None
        try:
            claim._csc_portal_submit_eightd(
                request.env.user, root_cause, actions, filename, content
            )
        except AccessError:
            return request.redirect("/my")
        except UserError:
            return request.redirect(f"{claim.access_url}?message=error")
        return request.redirect(f"{claim.access_url}?message=eightd_sent")
