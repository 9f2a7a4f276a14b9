import re
from pathlib import Path

from babel.messages import pofile

from .common import CscCase

I18N = Path(__file__).resolve().parent.parent / "i18n"
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd]")


def _read(name):
    with open(I18N / name, "rb") as handle:
        return {m.id: m.string for m in pofile.read_po(handle) if m.id}


class TestTranslations(CscCase):
    def test_chinese_translation_complete(self):
        template, chinese = _read("customer_service_control.pot"), _read("zh_CN.po")
        untranslated = [msgid for msgid in template if not chinese.get(msgid)]
        self.assertFalse(untranslated, f"Untranslated in zh_CN.po: {untranslated[:20]}")
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
