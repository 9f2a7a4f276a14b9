import io
import logging

from markupsafe import Markup

from odoo import models
from odoo.tools.pdf import PdfFileReader
from odoo.tools.pdf import PdfFileWriter

_logger = logging.getLogger(__name__)

MODULE = "customer_service_control"
# Forms printed as one document for all the records selected (a single table of actions).
ONE_DOCUMENT_REPORTS = frozenset({f"{MODULE}.report_action_record"})
# Height of the strip at the foot of each page that carries the stamp, inside the bottom
# margin of the forms' paper format (12 mm).
STAMP_HEIGHT_MM = 9
MM_PER_POINT = 25.4 / 72
# The same system fonts as the forms (report/csc_report_layout.xml): drawn as text, Chinese too.
STAMP_PAGE = Markup(
    '<table class="stamp" style="{page_break}"><tr>'
    '<td class="code">{label}</td><td class="page">{page}</td></tr></table>'
)
STAMP_DOCUMENT = Markup(
    "<!DOCTYPE html><html><head><meta charset='utf-8'/><style>"
    "html, body {{ margin: 0; padding: 0; }}"
    "table.stamp {{ width: 100%; height: 5mm; border-collapse: collapse; table-layout: fixed;"
    ' font-family: "DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif;'
    " font-size: 7.5pt; color: #333; }}"
    "td {{ padding: 0; white-space: nowrap; overflow: hidden; vertical-align: top; }}"
    "td.code {{ width: 75%; }} td.page {{ text-align: right; }}"
    "</style></head><body>{pages}</body></html>"
)


class IrActionsReport(models.Model):
    """Every printed form of the addon carries "page X of Y" and its record code on each page.

    Debian's wkhtmltopdf is built without the patched Qt, so the usual header and footer
    (`--footer-html`, `<span class="page"/>`) are not rendered. The forms are printed as usual,
    then one more wkhtmltopdf run draws the stamp of every page in the bottom margin of an empty
    page of the same paper, and that page is laid over the printed one. Several records printed
    together each count their own pages."""

    _inherit = "ir.actions.report"

    def _csc_is_form(self):
        self.ensure_one()
        return self.report_type == "qweb-pdf" and self.report_name.startswith(f"{MODULE}.")

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report = self._get_report(report_ref)
        if not report._csc_is_form():
            return super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        unique_ids = list(dict.fromkeys(res_ids or []))
        if len(unique_ids) > 1 and report.report_name not in ONE_DOCUMENT_REPORTS:
            return self._csc_prepare_record_streams(report, data, unique_ids)
        streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids=res_ids)
        label = self._csc_stamp_label(report, self.env[report.model].browse(unique_ids))
        for stream in streams.values():
            if stream["stream"] and not (stream["attachment"] and report.attachment_use):
                self._csc_stamp(report, [(stream["stream"], label)])
        return streams

    def _csc_prepare_record_streams(self, report, data, res_ids):
        """Each record printed on its own, so that it counts its own pages (and because Debian's
        wkhtmltopdf, without the patched Qt, cannot print several pages given at once). A PDF
        reloaded from a stored attachment is already stamped."""
        streams = {}
        documents = []
        for res_id in res_ids:
            alone = super()._render_qweb_pdf_prepare_streams(
                report.report_name, dict(data or {}), res_ids=[res_id]
            )
            stream = alone[res_id]
            streams[res_id] = stream
            if stream["stream"] and not (stream["attachment"] and report.attachment_use):
                record = self.env[report.model].browse(res_id)
                documents.append((stream["stream"], self._csc_stamp_label(report, record)))
        self._csc_stamp(report, documents)
        return streams

    def _csc_record_code(self, record):
        """The number a reader finds the record by."""
        if record._name == "res.partner":
            return " ".join(filter(None, [record.ref, record.name]))
        if record._name == "csc.satisfaction.campaign":
            return record.code or record.name
        if record._name == "csc.action":
            return record.reference
        if record._name == "product.template":
            return record.display_name
        return ("name" in record._fields and record.name) or record.display_name

    def _csc_stamp_label(self, report, records):
        """The form's title and the code of the record(s) it prints."""
        codes = [self._csc_record_code(record) for record in records[:3]]
        if len(records) > 3:
            codes.append("…")
        code = ", ".join(filter(None, codes))
        title = report.with_context(lang=self.env.lang).name
        label = f"{title} · {code}" if code else title
        return label if len(label) <= 110 else label[:108] + "…"

    def _csc_stamp(self, report, documents):
        """Lay "page X of Y" and the record's code over the foot of every page, in place."""
        if not documents:
            return
        readers = [(stream, PdfFileReader(stream), label) for stream, label in documents]
        overlay = self._csc_stamp_overlay(report, readers)
        if not overlay:
            return
        index = 0
        for stream, reader, _label in readers:
            writer = PdfFileWriter()
            for page in reader.pages:
                page.merge_page(overlay.pages[index])
                writer.add_page(page)
                index += 1
            stamped = io.BytesIO()
            writer.write(stamped)
            stream.seek(0)
            stream.truncate()
            stream.write(stamped.getvalue())

    def _csc_stamp_overlay(self, report, readers):
        """The PDF of the stamps, one page per page of the documents (None if it went wrong)."""
        pages = []
        for _stream, reader, label in readers:
            total = len(reader.pages)
            for number in range(1, total + 1):
                page_text = self.env._("Page %(page)s of %(total)s", page=number, total=total)
                pages.append((label, page_text))
        html = STAMP_DOCUMENT.format(
            pages=Markup("").join(
                STAMP_PAGE.format(
                    label=label,
                    page=page_text,
                    page_break="" if index == len(pages) - 1 else "page-break-after: always;",
                )
                for index, (label, page_text) in enumerate(pages)
            )
        )
        mediabox = readers[0][1].pages[0].mediabox
        page_height = float(mediabox.height) * MM_PER_POINT
        overlay_pdf = self.with_context(csc_stamp_overlay=True)._run_wkhtmltopdf(
            [html],
            report_ref=report.report_name,
            specific_paperformat_args={
                "data-report-margin-top": f"{page_height - STAMP_HEIGHT_MM:.1f}",
                "data-report-margin-bottom": "0",
            },
        )
        overlay = PdfFileReader(io.BytesIO(overlay_pdf))
        if len(overlay.pages) != len(pages):
            _logger.error(
                "%s: %d stamps drawn for %d pages; the PDF is left without page numbers.",
                report.report_name,
                len(overlay.pages),
                len(pages),
            )
            return None
        return overlay

    def _build_wkhtmltopdf_args(
        self, paperformat_id, landscape, specific_paperformat_args=None, set_viewport_size=False
    ):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if self.env.context.get("csc_stamp_overlay") and "--javascript-delay" in args:
            # The stamp page has no script to wait for.
            args[args.index("--javascript-delay") + 1] = "0"
        return args
