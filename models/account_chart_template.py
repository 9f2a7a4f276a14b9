from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load_translations(self, langs=None, companies=None, template_data=None):
        """Then the Chinese this addon ships for the accounts and journals of the chart, which
        the chart's own translations leave in English (they are loaded after the modules' files
        when a company gets its chart)."""
        res = super()._load_translations(
            langs=langs, companies=companies, template_data=template_data
        )
        Module = self.env["ir.module.module"]
        for lang in langs or [code for code, _name in self.env["res.lang"].get_installed()]:
            Module._csc_load_extra_terms(lang)
        return res
