import json
import re
import subprocess
import tempfile
import threading
import urllib.request
from datetime import date
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

from lxml import html as lxml_html

from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import MODULE
from .common import CscCase
from .common import force
from .common import force_create


def pdf_pages(pdf):
    """The text of each page, as a reader selecting it gets it (poppler's pdftotext)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", file.name, "-"],
            capture_output=True,
            check=True,
        ).stdout.decode()
    return [" ".join(page.split()) for page in text.split("\f")[:-1]]


def text_pattern(text):
    """A pattern finding `text` in a PDF's text. wkhtmltopdf writes a few ideographs drawn with
    Noto Sans CJK as their radical twins (户 comes out as U+2F3E, 门 as U+2EC7): the font draws
    both with one glyph. Such an ideograph may stand as a radical in the PDF."""
    return "".join(
        f"[{re.escape(char)}\u2e80-\u2fdf]" if "\u4e00" <= char <= "\u9fff" else re.escape(char)
        for char in text
    )


class AssetRelay(ThreadingHTTPServer):
    """Where wkhtmltopdf fetches the report assets from during the test.

    Under the test runner every request shares the test's transaction, one request at a time:
    while `/report/pdf` waits for wkhtmltopdf, the server cannot answer wkhtmltopdf's request
    for the CSS bundle, and both wait forever. The relay answers the bundles fetched from the
    server beforehand, byte for byte, and passes static files (the web fonts the bundles load,
    which need no database) on to the server, as the server itself would serve them."""

    daemon_threads = True

    def __init__(self, server_url):
        self.server_url = server_url
        self.bundles = {}
        super().__init__(("127.0.0.1", 0), AssetRelayHandler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class AssetRelayHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        if self.path in self.server.bundles:
            content, content_type = self.server.bundles[self.path]
        elif "/static/" in self.path:
            with urllib.request.urlopen(self.server.server_url + self.path, timeout=30) as answer:
                content, content_type = answer.read(), answer.headers["Content-Type"]
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, *args):
        pass


@tagged("post_install", "-at_install")
class TestPrintedForms(HttpCase, CscCase):
    """Every printed form of the addon, printed over HTTP (`/report/pdf/...`) by a user of the
    role that prints it, in English and in Chinese: its text can be selected (the title and the
    record number are found by pdftotext), and every page says "page X of Y" and carries the
    record code. Over HTTP wkhtmltopdf loads the report assets from the server, and with them
    the web fonts it would draw as pictures of text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["res.lang"]._activate_lang("zh_CN")
        env["ir.module.module"]._load_module_terms([MODULE], ["zh_CN"])
        cls.customer.ref = "C-T001"
        cls.quality_user.name = "Zhang Wei"
        cls.contact = env["res.partner"].create({"name": "Li Na", "parent_id": cls.customer.id})
        cls.product = env["product.product"].create(
            {"name": "Steering Gear", "default_code": "SG-100", "tracking": "serial"}
        )
        cls.lot = env["stock.lot"].create(
            {"name": "SG-0001", "product_id": cls.product.id, "csc_delivery_date": "2026-01-10"}
        )
        cls.complaint = env["csc.complaint"].create(
            {
                "title": "Noise at low speed",
                "partner_id": cls.customer.id,
                "contact_id": cls.contact.id,
                "product_id": cls.product.id,
                "lot_id": cls.lot.id,
                "date_received": datetime(2026, 3, 6, 10, 0),
            }
        )
        cls.eightd = env["csc.eightd"].create(
            {
                "complaint_id": cls.complaint.id,
                "problem_what": "Knocking noise",
                "emergency_response": "Shipments stopped",
            }
        )
        cls.action = env["csc.action"].create(
            {
                "name": "Torque audit",
                "complaint_id": cls.complaint.id,
                "eightd_id": cls.eightd.id,
                "user_id": cls.quality_user.id,
                "date_due": "2026-03-20",
            }
        )
        cls.visit = env["csc.service.visit"].create(
            {
                "partner_id": cls.customer.id,
                "lot_id": cls.lot.id,
                "date_request": datetime(2026, 3, 2, 9, 0),
            }
        )
        force(cls.visit, {"technician_ids": [(6, 0, cls.technician.ids)]})
        cls.part = env["product.product"].create({"name": "Seal kit", "lst_price": 100.0})
        force_create(
            env["csc.service.visit.line"],
            {
                "visit_id": cls.visit.id,
                "line_type": "part",
                "product_id": cls.part.id,
                "name": "Seal kit",
                "quantity": 2,
                "price_unit": 100.0,
            },
        )
        cls.loan = env["csc.part.loan"].create(
            {
                "technician_id": cls.technician.id,
                "partner_id": cls.customer.id,
                "line_ids": [(0, 0, {"product_id": cls.part.id, "quantity": 2})],
            }
        )
        cls.monthly = env["csc.monthly.report"].create(
            {"company_id": cls.company.id, "date_start": date(2026, 10, 1)}
        )
        cls.campaign = env["csc.satisfaction.campaign"].create(
            {
                "name": "Q1 survey",
                "period_type": "quarterly",
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 3, 31),
                "partner_ids": [(6, 0, cls.customer.ids)],
            }
        )
        # (form, records, who prints it, the record number printed on it)
        cls.forms = [
            ("report_customer_file", cls.customer, cls.desk_user, "C-T001"),
            ("report_complaint_form", cls.complaint, cls.desk_user, cls.complaint.name),
            ("report_quality_feedback", cls.complaint, cls.desk_user, cls.complaint.name),
            ("report_warranty_feedback", cls.complaint, cls.desk_user, cls.complaint.name),
            ("report_eightd", cls.eightd, cls.quality_user, cls.eightd.name),
            ("report_recurrence_prevention", cls.eightd, cls.quality_user, cls.eightd.name),
            ("report_action_record", cls.action, cls.quality_user, cls.action.reference),
            ("report_failure_history", cls.product.product_tmpl_id, cls.desk_user, "SG-100"),
            ("report_service_visit", cls.visit, cls.technician, cls.visit.name),
            ("report_customer_feedback", cls.visit, cls.technician, cls.visit.name),
            ("report_installation_acceptance", cls.visit, cls.technician, cls.visit.name),
            ("report_visit", cls.visit, cls.desk_user, cls.visit.name),
            ("report_loan_slip", cls.loan, cls.clerk, cls.loan.name),
            ("report_monthly", cls.monthly, cls.service_manager, cls.monthly.name),
            ("report_satisfaction_survey_form", cls.campaign, cls.desk_user, cls.campaign.code),
        ]

    def setUp(self):
        super().setUp()
        relay = AssetRelay(self.base_url())
        threading.Thread(target=relay.serve_forever, daemon=True).start()
        self.addCleanup(relay.server_close)
        self.addCleanup(relay.shutdown)
        # The bundles the PDF pages link to, fetched from the server as wkhtmltopdf would.
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html(f"{MODULE}.report_loan_slip", self.loan.ids)[0]
        bodies = Report._prepare_html(html)[0]
        for href in lxml_html.fromstring(bodies[0]).xpath("//link[@rel='stylesheet']/@href"):
            path = href.removeprefix(self.base_url())
            answer = self.url_open(path, timeout=180)  # compiled on the first request
            self.assertEqual(answer.status_code, 200, path)
            relay.bundles[path] = (answer.content, answer.headers["Content-Type"])
        self.env["ir.config_parameter"].set_param("report.url", relay.url)

    def _print(self, user, report_name, records):
        """The PDF as the browser gets it when the user prints the form. Under the test runner
        Odoo answers HTML unless the context forces the PDF, which the print URL may carry."""
        self.authenticate(user.login, user.login)
        context = json.dumps({"force_report_rendering": True})
        ids = ",".join(map(str, records.ids))
        response = self.url_open(
            f"/report/pdf/{MODULE}.{report_name}/{ids}?context={context}", timeout=120
        )
        self.assertEqual(response.status_code, 200, report_name)
        self.assertEqual(response.headers["Content-Type"], "application/pdf", report_name)
        return response.content

    def _title(self, user, report_name, records):
        """The form's title as its HTML shows it to the user (in his language)."""
        html = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(lang=user.lang)
            ._render_qweb_html(f"{MODULE}.{report_name}", records.ids)[0]
        )
        return " ".join(lxml_html.fromstring(html).xpath("//h3")[0].text_content().split())

    def _check_forms(self, lang):
        (self.desk_user | self.quality_user | self.technician | self.clerk).write({"lang": lang})
        self.service_manager.lang = lang
        Report = self.env["ir.actions.report"].with_context(lang=lang)
        for report_name, records, user, number in self.forms:
            with self.subTest(form=report_name, lang=lang):
                pages = pdf_pages(self._print(user, report_name, records))
                self.assertTrue(pages, report_name)
                title = self._title(user, report_name, records)
                self.assertRegex(pages[0], text_pattern(title), f"{report_name}: no title")
                for index, page in enumerate(pages, start=1):
                    stamp = Report.env._("Page %(page)s of %(total)s", page=index, total=len(pages))
                    self.assertRegex(page, text_pattern(stamp), f"{report_name}: page {index}")
                    self.assertIn(number, page, f"{report_name}: page {index} without its code")
                    form = Report._get_report(f"{MODULE}.{report_name}")
                    label = Report._csc_stamp_label(form, records)
                    body = re.sub(text_pattern(stamp), "", page)
                    body = re.sub(text_pattern(label), "", body).strip()
                    self.assertTrue(body, f"{report_name}: page {index} is empty")

    def test_forms_in_english(self):
        self._check_forms("en_US")

    def test_eightd_signoff_block(self):
        """The 8D report says who signed off each discipline and when, and who approves it."""
        self.authenticate(self.quality_user.login, self.quality_user.login)
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/csc.eightd/action_sign_off",
            {
                "model": "csc.eightd",
                "method": "action_sign_off",
                "args": [self.eightd.ids],
                "kwargs": {"discipline": "0"},
            },
        )
        self.assertEqual(self.eightd.signed_off, "0")
        text = " ".join(pdf_pages(self._print(self.quality_user, "report_eightd", self.eightd)))
        self.assertIn("Sign-off and Approval", text)
        signed = re.escape(f"D0 Emergency Response Signed off {self.quality_user.name}")
        self.assertRegex(text, signed + r" \d\d/\d\d/\d{4} \d\d:\d\d")
        self.assertRegex(text, r"D1 Team Open D2 Problem Description Open")
        self.assertIn("Quality manager (approval)", text)

    def test_forms_in_chinese(self):
        self._check_forms("zh_CN")
        # Chinese printed as text, not as pictures
        pages = pdf_pages(self._print(self.desk_user, "report_complaint_form", self.complaint))
        self.assertTrue(re.search(r"[\u4e00-\u9fff]", pages[0]), "no Chinese text")
