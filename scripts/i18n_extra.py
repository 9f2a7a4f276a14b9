"""Chinese for the other modules' terms on the addon's screens (i18n_extra/zh_CN.po).

Run through `odoo-bin shell` on a database with the module installed (scripts/i18n_extra.sh,
`make i18n-extra`): it finds the terms the screens show in English to a zh_CN user exactly as the
screens test does (tests/test_i18n_screens.py: `screen_reader`, `untranslated_terms`,
`own_terms`), keeps the other modules' ones, exports the entries of the records that hold them
where they show (views of the screen's model, fields, choices, shipped records, print and action
menus) with their `#. module:` and `#:` references, and merges them into i18n_extra/zh_CN.po:
existing entries and translations stay, new references join their entry, new entries take their
translation from i18n_extra/zh_CN.todo.po or stay empty. The terms still untranslated are then
written to zh_CN.todo.po (with where they show) for a translator; the file goes away when none
is left. Nothing is written to the database (the shell rolls back).

Run with plain Python (`"$PY" scripts/i18n_extra.py`), it only moves the translations of
zh_CN.todo.po into zh_CN.po, and checks the placeholders, tags and entities of every translation.
"""

import os
import re
import sys
from collections import defaultdict

import polib
from lxml import etree

MODULE = "customer_service_control"
LANG = "zh_CN"
# What a translation must keep as it is: printf and named placeholders, QWeb / inline template
# expressions, HTML / XML tags and entities.
KEPT = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{.*?\}\}|\{\w*\}|<[^>]+>|&\w+;|&#\d+;")
READ_ATTRIBUTE = re.compile(
    r'\s(?:title|alt|placeholder|aria-label|string|help|data-tooltip)="[^"]*"'
)
ACTION_MODELS = ("ir.actions.report", "ir.actions.act_window", "ir.actions.server")


def say(text):
    sys.stdout.write(f"[i18n_extra] {text}\n")


def _project_dir():
    if os.environ.get("PROJECT_DIR"):
        return os.environ["PROJECT_DIR"]
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _paths():
    folder = os.path.join(_project_dir(), "i18n_extra")
    return os.path.join(folder, f"{LANG}.po"), os.path.join(folder, f"{LANG}.todo.po")


def _read(path):
    catalog = polib.pofile(path, wrapwidth=0) if os.path.exists(path) else polib.POFile()
    catalog.wrapwidth = 0
    return catalog


def _write(catalog, path):
    """Save `catalog` with one reference a line, as Odoo writes them (polib joins them)."""
    text = re.sub(
        r"^#: (.+)$",
        lambda match: "\n".join(f"#: {ref}" for ref in match[1].split()),
        str(catalog),
        flags=re.MULTILINE,
    )
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")


def _normal(text):
    return " ".join((text or "").split())


# ---------------------------------------------------------------- the po files (no Odoo needed)


def _modules_of(entry):
    match = re.match(r"modules?: (.+)", entry.comment or "")
    return {name.strip() for name in match[1].split(",")} if match else set()


def _set_modules(entry, modules):
    names = sorted(modules)
    head = f"module: {names[0]}" if len(names) == 1 else f"modules: {', '.join(names)}"
    rest = [line for line in (entry.comment or "").splitlines() if not re.match("modules?: ", line)]
    entry.comment = "\n".join([head, *rest])


def merge(catalog, rows):
    """Add `rows` [(module, msgid, reference)] to `catalog`; return how many entries and
    references are new."""
    entries = {entry.msgid: entry for entry in catalog}
    added = referenced = 0
    for module, msgid, reference in rows:
        entry = entries.get(msgid)
        if entry is None:
            entry = polib.POEntry(msgid=msgid, msgstr="", comment=f"module: {module}")
            catalog.append(entry)
            entries[msgid] = entry
            added += 1
        if reference not in (occurrence for occurrence, _line in entry.occurrences):
            entry.occurrences.append((reference, ""))
            entry.occurrences.sort()
            referenced += 1
        if module not in _modules_of(entry):
            _set_modules(entry, _modules_of(entry) | {module})
    catalog.sort(key=lambda entry: entry.msgid)
    return added, referenced


def apply_todo(catalog, todo):
    """Fill the empty translations of `catalog` from `todo`; return how many were filled."""
    known = {entry.msgid: entry.msgstr for entry in todo if entry.msgstr}
    filled = 0
    for entry in catalog:
        if not entry.msgstr and known.get(entry.msgid):
            entry.msgstr = known[entry.msgid]
            filled += 1
    return filled


def write_todo(catalog, path, wheres=None):
    """Write the entries of `catalog` left untranslated to `path` (remove it if there are none);
    return how many there are."""
    todo = polib.POFile(wrapwidth=0)
    todo.metadata = dict(catalog.metadata)
    todo.header = (
        "Terms of i18n_extra/zh_CN.po still untranslated: translate them here, then run\n"
        "scripts/i18n_extra.py (plain Python) or scripts/i18n_extra.sh to move them there.\n"
        "Odoo does not read this file."
    )
    for entry in catalog:
        if not entry.msgstr:
            shown = sorted((wheres or {}).get(entry.msgid, ()))
            comment = "\n".join([entry.comment, *(f"shown on: {where}" for where in shown)])
            todo.append(polib.POEntry(msgid=entry.msgid, msgstr="", comment=comment))
    if len(todo):
        _write(todo, path)
    elif os.path.exists(path):
        os.remove(path)
    return len(todo)


def _kept(text):
    """The placeholders, tags (without the attributes a user reads) and entities of `text`."""
    return sorted(READ_ATTRIBUTE.sub("", part) for part in KEPT.findall(text))


def check_kept(catalog):
    """Translations that do not keep the placeholders, tags or entities of their term."""
    return [
        entry.msgid
        for entry in catalog
        if entry.msgstr and _kept(entry.msgid) != _kept(entry.msgstr)
    ]


def save(catalog, wheres=None):
    """Apply the todo file to `catalog`, save both and print the counts."""
    path, todo_path = _paths()
    filled = apply_todo(catalog, _read(todo_path))
    _write(catalog, path)
    empty = write_todo(catalog, todo_path, wheres)
    say(f"{filled} translations taken from {os.path.basename(todo_path)}")
    for msgid in check_kept(catalog):
        say(f"placeholders, tags or entities differ in the translation of {msgid!r}")
    say(f"{len(catalog)} entries in {path}, {empty} without translation")


# ---------------------------------------------------------------- the screens (in Odoo's shell)


def _places(env, where, field_place):
    """{(model, field): record ids} of the records whose translations show at `where`."""
    match = field_place.match(where)
    if match:
        field = env["ir.model.fields"]._get(match["model"], match["field"])
        if match["value"]:
            choices = field.selection_ids.filtered(lambda s: s.value == match["value"])
            return {("ir.model.fields.selection", "name"): choices.ids}
        attribute = "help" if where.endswith(" help") else "field_description"
        return {("ir.model.fields", attribute): field.ids}
    model, place = where.split(" ", 1)
    if place.endswith(" view"):
        views = env["ir.ui.view"].search([("model", "=", model), ("type", "!=", "qweb")])
        return {("ir.ui.view", "arch_db"): views.ids}
    if place.endswith(" menu"):
        bound = [("binding_model_id.model", "=", model)]
        return {(action, "name"): env[action].search(bound).ids for action in ACTION_MODELS}
    record = env.ref(place, raise_if_not_found=False)
    if record and record._name == model:
        return {(model, record._rec_name or "name"): record.ids}
    return {}


def _xml_names(env, model, ids):
    """{(module, record id): xml name} of the records of `model` for every module but this one
    (the first name of each, as Odoo's export takes)."""
    names = {}
    domain = [("model", "=", model), ("res_id", "in", list(ids)), ("module", "!=", MODULE)]
    for data in env["ir.model.data"].search_read(domain, ["name", "res_id", "module"]):
        key = (data["module"], data["res_id"])
        names[key] = min(names.get(key, data["name"]), data["name"])
    return names


def _unexported_rows(env, wanted, placed):
    """Rows for the labels Odoo's export leaves out (fields with `export_string_translation`
    off) though the screens show them: {normal term: [(module, msgid, reference)]}."""
    rows = defaultdict(list)
    for (text, name), ids in wanted.items():
        model, field = name.split(",")
        if text in placed or env[model]._fields[field].translate is not True:
            continue
        records = env[model].browse(ids).with_context(lang="en_US")
        values = {record.id: record[field] for record in records}
        for (module, res_id), xml_name in _xml_names(env, model, ids).items():
            if _normal(values[res_id]) == text:
                reference = f"model:{name}:{module}.{xml_name}"
                rows[text].append((module, values[res_id], reference))
    return rows


def _exported(env, places):
    """Odoo's export of the records in `places` for every module but this one: [(module, source,
    `model,field`, xml id, type, record id)]."""
    from odoo.tools.translate import ImdInfo
    from odoo.tools.translate import TranslationReader

    reader = TranslationReader(env.cr, lang=LANG)
    ids_per_model = defaultdict(set)
    for (model, _field), ids in places.items():
        ids_per_model[model].update(ids)
    for model, ids in ids_per_model.items():
        names = _xml_names(env, model, ids)
        per_module = defaultdict(dict)
        for (module, res_id), name in names.items():
            per_module[module][res_id] = ImdInfo(name, model, res_id, module)
        for imd_per_id in per_module.values():
            reader._export_imdinfo(model, imd_per_id)
    return [
        (module, source, name, xmlid, kind, record_id)
        for module, source, name, xmlid, kind, _comments, record_id, _value in reader._to_translate
    ]


def _block_texts(screens, source):
    """The texts and read attributes of a term with inline tags, as the test reads a view."""
    try:
        return screens._arch_terms(f"<div>{source}</div>")
    except etree.XMLSyntaxError:
        return set()


def screen_rows(env):
    """The other modules' English terms on the screens: (rows [(module, msgid, reference)],
    {term: wheres}, the number of the addon's own terms, {term: wheres} of the terms no record of
    another module holds, {msgid: wheres})."""
    from odoo.addons.customer_service_control.tests import test_i18n_screens as screens

    user = screens.screen_reader(env, LANG)
    found = screens.untranslated_terms(env(user=user), LANG)
    own = screens.own_terms(env, found)
    others = {term: wheres for term, wheres in found.items() if term not in own}
    wanted = defaultdict(set)  # (normal term, "model,field") -> record ids
    places = defaultdict(set)
    for term, wheres in others.items():
        for where in wheres:
            for (model, field), ids in _places(env, where, screens.FIELD_PLACE).items():
                wanted[(_normal(term), f"{model},{field}")].update(ids)
                places[(model, field)].update(ids)
    rows, placed, shown = [], set(), defaultdict(set)
    normal_others = {_normal(term): wheres for term, wheres in others.items()}
    for module, source, name, xmlid, kind, record_id in _exported(env, places):
        # a term of a view may be a block with inline tags: the test reads its texts apart
        texts = {_normal(source)} | (
            _block_texts(screens, source) if kind == "model_terms" else set()
        )
        held = {text for text in texts if record_id in wanted.get((text, name), ())}
        if held:
            rows.append((module, source, f"{kind}:{name}:{xmlid}"))
            placed |= held
            for text in held:
                shown[source] |= normal_others[text]
    for text, extra in _unexported_rows(env, wanted, placed).items():
        rows += extra
        placed.add(text)
        for _module, source, _reference in extra:
            shown[source] |= normal_others[text]
    unplaced = {term: wheres for term, wheres in others.items() if _normal(term) not in placed}
    return rows, others, len(own), unplaced, shown


def run_in_shell(env):
    rows, others, own, unplaced, shown = screen_rows(env)
    say(f"{len(others)} terms of other modules in English on the screens")
    say(f"{own} terms of this addon in English (make i18n, then i18n/zh_CN.po)")
    for term, wheres in sorted(unplaced.items()):
        say(f"no record of another module holds {term!r}: {', '.join(wheres)}")
    path, _todo_path = _paths()
    catalog = _read(path)
    added, referenced = merge(catalog, rows)
    say(f"{added} new entries, {referenced} new references")
    save(catalog, shown)


if "env" in globals():
    run_in_shell(globals()["env"])
elif __name__ == "__main__":
    if len(sys.argv) > 1:
        sys.exit(__doc__)
    save(_read(_paths()[0]))
