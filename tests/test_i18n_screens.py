"""Chinese on the addon's screens: every term a user working in Chinese reads on them is
translated, including the helpdesk, survey, stock and mail parts they show (the translations of
other modules' terms are in `i18n_extra/zh_CN.po`)."""

import contextlib
import re

from lxml import etree

from odoo.tests import new_test_user
from odoo.tools.translate import TranslationModuleReader

from .common import MODULE
from .common import CscCase

LANG = "zh_CN"
LATIN = re.compile(r"[A-Za-z]")
# Attributes of a view's elements that a user reads on the screen.
READ_ATTRIBUTES = (
    "string",
    "help",
    "placeholder",
    "title",
    "confirm",
    "sum",
    "aria-label",
    "data-tooltip",
    "alt",
)
# Terms that stay Latin in Chinese: methods, standards, products and abbreviations used as they
# are; sample values and formats that the owning module's own Chinese keeps as they are (the
# questionnaire editor's, the domain example of mail's settings): a translation of ours would
# win or lose depending on the order the modules' files are loaded in.
ALLOWED = {
    "8D",
    "CSR",
    "KPI",
    "PPM",
    "IATF 16949",
    "ISO 9001",
    "Odoo",
    "Odoo IAP",
    "Cloudflare Turnstile",
    "ans",
    "e.g. mycompany.com",
    "YYYY-MM-DD",
    "YYYY-MM-DD hh:mm:ss",
}
# The tooltips of the question-type icons in survey's question form: survey's own Chinese
# translates the block around each icon and leaves these in English; Odoo keeps an existing
# translation of a block when another module loads one, so this addon cannot replace them.
UPSTREAM_PARTIAL = {
    ("survey.question", "Calendar"),
    ("survey.question", "Checked"),
    ("survey.question", "Not checked"),
    ("survey.question", "Multiple Lines"),
    ("survey.question", "Multiple lines"),
    ("survey.question", "Numeric"),
    ("survey.question", "Single Line"),
}
# e-mail addresses, web addresses, codes in capitals and figures
CODE = re.compile(
    r"^(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|[\w-]+\.(?:com|org|net)|[A-Z0-9][A-Z0-9/_.+-]*"
    r"|\W*[\w.]*\d[\w.]*\W*)$"
)
# models whose records are named by symbols (units of measure: cm, kg, ft³)
SYMBOL_MODELS = {"uom.uom"}
# where a field's label, help or choice shows: "model.field string|help|selection value"
FIELD_PLACE = re.compile(
    r"^(?P<model>[\w.]+)\.(?P<field>\w+) (?:string|help|selection (?P<value>.+))$"
)
# Screens the addon's buttons open with an action built in Python, and the questionnaire screens
# the satisfaction campaign links to.
OPENED_SCREENS = (
    ("helpdesk.ticket", ("list", "form", "search")),
    ("csc.rework.plan", ("form",)),
    ("csc.reopen.wizard", ("form",)),
    ("survey.survey", ("list", "form", "search")),
    ("survey.user_input", ("list", "form", "search")),
    ("survey.question", ("form",)),
)


def _is_untranslated(source, shown):
    """A term shown as in English while it has Latin letters and is neither a code nor allowed."""
    if not source or source != shown or not LATIN.search(source):
        return False
    text = source.strip()
    return text not in ALLOWED and not CODE.match(text)


def _arch_terms(arch):
    """The texts a user reads in a view's architecture."""
    terms = set()
    root = etree.fromstring(arch)
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        for attribute in READ_ATTRIBUTES:
            # the title of a whole view is not shown (the action's name is)
            if node.get(attribute) and not (node is root and attribute == "string"):
                terms.add(" ".join(node.get(attribute).split()))
        for text in (node.text, node.tail):
            if text and text.strip():
                terms.add(" ".join(text.split()))
    return terms


def _field_terms(field, description):
    """Label, help and choices of a field as `get_views` describes it, keyed by where they show.
    Choices named by their value (time zones) or that another module computes (languages) are
    names, not terms."""
    terms = {"string": description.get("string"), "help": description.get("help")}
    choices = getattr(field, "selection", None)
    if choices and not isinstance(choices, list | tuple) and field._module != MODULE:
        return terms
    for value, label in description.get("selection") or ():
        if label != value:
            terms[f"selection {value}"] = label
    return terms


def _addon_data(env, models=("ir.actions.act_window", "ir.ui.menu")):
    return env["ir.model.data"].sudo().search([("module", "=", MODULE), ("model", "in", models)])


def screens(env):
    """{model: [(view id, view type)]} of every screen of the addon: the views of its window
    actions and menus, the screens its buttons open and the other modules' views it extends."""
    data = _addon_data(env)
    actions = (
        env["ir.actions.act_window"]
        .sudo()
        .browse(data.filtered(lambda d: d.model == "ir.actions.act_window").mapped("res_id"))
    )
    menus = (
        env["ir.ui.menu"]
        .sudo()
        .browse(data.filtered(lambda d: d.model == "ir.ui.menu").mapped("res_id"))
    )
    for menu in menus:
        if menu.action and menu.action._name == "ir.actions.act_window":
            actions |= menu.action
    result = {}
    for action in actions:
        views = [(view.view_id.id, view.view_mode) for view in action.view_ids]
        modes = [mode for _id, mode in views]
        views += [(False, mode) for mode in action.view_mode.split(",") if mode not in modes]
        views.append((action.search_view_id.id, "search"))
        result.setdefault(action.res_model, []).extend(views)
    for model, modes in OPENED_SCREENS:
        result.setdefault(model, []).extend((False, mode) for mode in modes)
    extensions = env["ir.ui.view"].sudo().browse(_addon_data(env, ("ir.ui.view",)).mapped("res_id"))
    for view in extensions.filtered(lambda v: v.inherit_id and v.type != "qweb"):
        while view.mode != "primary" and view.inherit_id:
            view = view.inherit_id
        result.setdefault(view.model, []).append((view.id, view.type))
    return {model: list(dict.fromkeys(views)) for model, views in result.items()}


def _check_screen(english, local, model, view, check):
    """Check the terms of one view (with its toolbar and its fields) of `model`; return the
    models its relational fields offer records of."""
    options = {"toolbar": True, "load_filters": False}
    view_type = view[1]
    source = english[model].get_views([view], options)
    shown = local[model].get_views([view], options)
    source_view, shown_view = source["views"][view_type], shown["views"][view_type]
    for term in _arch_terms(source_view["arch"]) & _arch_terms(shown_view["arch"]):
        if (model, term) not in UPSTREAM_PARTIAL:
            check(term, term, f"{model} {view_type} view")
    for kind, entries in (source_view.get("toolbar") or {}).items():
        for entry, shown_entry in zip(entries, shown_view["toolbar"][kind], strict=True):
            check(entry["name"], shown_entry["name"], f"{model} {kind} menu")
    relations = set()
    for sub_model, description in source["models"].items():
        shown_fields = shown["models"][sub_model]["fields"]
        for name, field in description["fields"].items():
            definition = english[sub_model]._fields.get(name)
            shown_field = _field_terms(definition, shown_fields[name])
            for key, term in _field_terms(definition, field).items():
                check(term, shown_field.get(key), f"{sub_model}.{name} {key}")
            if field["type"] in ("many2one", "many2many"):
                relations.add(field["relation"])
    return relations


def _check_shipped_records(english, local, models, check):
    """Check the names of the records that modules ship (stages, channels, activity types...)
    among those the screens offer to pick."""
    for model in sorted(models - SYMBOL_MODELS):
        field = english[model]._fields.get(english[model]._rec_name or "name")
        if not (field and field.translate and field.store):
            continue
        for data in english["ir.model.data"].sudo().search([("model", "=", model)]):
            source = english[model].sudo().browse(data.res_id)
            shown = local[model].sudo().browse(data.res_id)
            check(source[field.name], shown[field.name], f"{model} {data.complete_name}")


def untranslated_terms(env, lang=LANG):
    """{term: {where it shows}} of the terms the addon's screens show in English to a user whose
    language is `lang`: texts and labels of the views (with the other modules' parts they
    show), their action and print menus, the labels, help and choices of their fields, the
    names of the records modules ship that these fields offer, the names and help of the
    addon's actions and the names of its menus."""
    english = env(context=dict(env.context, lang="en_US"))
    local = env(context=dict(env.context, lang=lang))
    found = {}

    def check(source, shown, where):
        if _is_untranslated(source, shown):
            found.setdefault(source.strip(), set()).add(where)

    relations = set()
    for model, views in screens(env).items():
        for view in views:
            relations |= _check_screen(english, local, model, view, check)
    _check_shipped_records(english, local, relations, check)
    for data in _addon_data(env):
        source = english[data.model].sudo().browse(data.res_id)
        shown = local[data.model].sudo().browse(data.res_id)
        check(source.name, shown.name, f"{data.model} {data.complete_name}")
        if data.model == "ir.actions.act_window" and source.help:
            shown_help = _arch_terms(f"<div>{shown.help}</div>")
            for term in _arch_terms(f"<div>{source.help}</div>") & shown_help:
                check(term, term, f"{data.complete_name} help")
    return found


def screen_reader(env, lang=LANG):
    """A user working in `lang` with every group but the user types, so that no part of a view is
    hidden, once `lang` is active with the translations of every installed module."""
    env["res.lang"]._activate_lang(lang)
    modules = env["ir.module.module"].search([("state", "=", "installed")])
    env["ir.module.module"]._load_module_terms(modules.mapped("name"), [lang])
    user = new_test_user(env, login="csc_zh", lang=lang, groups="base.group_user")
    user_types = env.ref("base.module_category_user_type")
    user.groups_id |= env["res.groups"].search(
        [("share", "=", False), ("category_id", "!=", user_types.id)]
    )
    return user


def own_terms(env, found):
    """The terms of `found` (as `untranslated_terms` returns them) that are the addon's own: terms
    of its records, views and code, and the labels, help and choices of fields shown somewhere
    (a field's label, help and choices belong to the module that gave them their xml id); the
    others are other modules' (scripts/i18n_extra.py adds them to i18n_extra/zh_CN.po)."""
    own_sources = set()
    for *_, source, _value, _comments in TranslationModuleReader(env.cr, modules=[MODULE]):
        own_sources.add(" ".join(source.split()))
        if "<" in source:  # a block with inline tags: the screens read its texts apart
            with contextlib.suppress(etree.XMLSyntaxError):
                own_sources |= _arch_terms(f"<div>{source}</div>")
    Data = env["ir.model.data"]
    Fields = env["ir.model.fields"]

    def owned(term, where):
        if where.startswith(f"{MODULE}."):  # the help of one of the addon's actions
            return True
        match = FIELD_PLACE.match(where)
        if not match:
            return term in own_sources
        field = Fields._get(match["model"], match["field"])
        record = field
        if match["value"]:
            # choices computed by a function have no record: they are the field's
            choice = field.selection_ids.filtered(lambda s: s.value == match["value"])
            record = choice or field
        domain = [("model", "=", record._name), ("res_id", "in", record.ids)]
        return bool(Data.search_count(domain + [("module", "=", MODULE)]))

    return {term for term, wheres in found.items() if any(owned(term, w) for w in wheres)}


class TestChineseScreens(CscCase):
    def test_screens_read_chinese(self):
        """No English on the addon's screens (its own views and the helpdesk, survey, stock and
        mail parts they show) for a user working in Chinese with every role."""
        user = screen_reader(self.env)
        found = untranslated_terms(self.env(user=user))
        if found:
            self.fail(self._report(found))

    def _report(self, found):
        """The terms in English, the addon's own apart from the other modules'."""
        own = own_terms(self.env, found)
        lines = [f"{len(found)} terms in English on the screens for a {LANG} user"]
        for title, terms in (
            ("of this addon (make i18n, then translate i18n/zh_CN.po)", own),
            ("of other modules (translate them in i18n_extra/zh_CN.po)", found.keys() - own),
        ):
            lines.append(f"{len(terms)} {title}:")
            lines += [f"  {term!r}: {', '.join(sorted(found[term]))}" for term in sorted(terms)]
        return "\n".join(lines)
