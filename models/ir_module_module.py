import os

from psycopg2 import sql

from odoo import models
from odoo.tools.translate import TranslationImporter
from odoo.tools.translate import get_po_paths

MODULE = "customer_service_control"


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(self, modules, langs, overwrite=False, imported_module=False):
        """Then load the Chinese of the other modules' terms this addon ships (i18n_extra/) where
        those modules leave the English: several of their .po files "translate" a term by copying
        it, and the file Odoo happens to read last would win. Real translations are kept."""
        res = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if not imported_module and (MODULE in modules or self._get(MODULE).state == "installed"):
            for lang in langs:
                self._csc_load_extra_terms(lang)
        return res

    def _csc_load_extra_terms(self, lang):
        """Load i18n_extra/ for `lang`, filling what is untranslated or only copies the English."""
        if lang == "en_US":
            return
        importer = TranslationImporter(self.env.cr, verbose=False)
        for path in get_po_paths(MODULE, lang):
            if os.path.basename(os.path.dirname(path)) == "i18n_extra":
                importer.load_file(path, lang)
        # A value equal to its English is no translation: drop it, so that the importer fills it
        # as a gap (it already does so for the terms of views and HTML fields).
        self.env.flush_all()
        Data = self.env["ir.model.data"]
        for model_name, fields in importer.model_translations.items():
            table = sql.Identifier(self.env[model_name]._table)
            for field_name, translations in fields.items():
                ids = [
                    Data._xmlid_to_res_id(xmlid, raise_if_not_found=False) for xmlid in translations
                ]
                query = sql.SQL(
                    "UPDATE {table} SET {column} = {column} - %(lang)s WHERE id = ANY(%(ids)s)"
                    " AND {column}->>%(lang)s = {column}->>'en_US'"
                ).format(table=table, column=sql.Identifier(field_name))
                self.env.cr.execute(query, {"lang": lang, "ids": [id_ for id_ in ids if id_]})
        importer.save(overwrite=False)
