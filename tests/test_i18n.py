import re
from pathlib import Path

from babel.messages import pofile

from odoo.tools.translate import TranslationModuleReader

from .common import CscCase

I18N = Path(__file__).resolve().parent.parent / "i18n"
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]")


def _read(name):
    with open(I18N / name, "rb") as handle:
        return {m.id: m.string for m in pofile.read_po(handle) if m.id}


class TestTranslations(CscCase):
    def test_chinese_translation_complete(self):
        """Every term of the module as it is now (code, views, data, reports) is translated."""
        chinese = _read("zh_CN.po")
        terms = {
            source
            for _module, _type, _name, _id, source, _value, _comments in TranslationModuleReader(
                self.env.cr, modules=["customer_service_control"]
            )
        }
        untranslated = sorted(term for term in terms if not chinese.get(term))
        self.assertFalse(
            untranslated, f"Untranslated (run make i18n, then translate): {untranslated[:20]}"
        )
        self.assertFalse(terms - set(_read("customer_service_control.pot")), "Stale .pot file")
        for msgid, msgstr in chinese.items():
            self.assertEqual(
                sorted(PLACEHOLDER.findall(msgid)),
                sorted(PLACEHOLDER.findall(msgstr)),
                f"Placeholders differ in the translation of {msgid!r}",
            )

    def test_chinese_labels_and_form(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["customer_service_control"], ["zh_CN"])
        env = self.env(context=dict(self.env.context, lang="zh_CN"))
        field = env["ir.model.fields"]._get("res.partner", "csc_relation_class")
        self.assertEqual(field.field_description, "客户关系类别")
        html = (
            env["ir.actions.report"]
            ._render_qweb_html("customer_service_control.report_customer_file", self.customer.ids)[
                0
            ]
            .decode()
        )
        self.assertIn("顾客档案", html)
        self.assertIn("主机厂", html)  # the customer type, translated
