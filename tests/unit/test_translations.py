"""The German catalogue (the default UI language) must cover every message of the code.

The messages are extracted the way `pybabel extract -F babel.cfg -k _l -k N_` does it, so a
new `_()`/`_l()`/`N_()` in app/ or a new `{{ _('...') }}` in templates/ fails here until it is
translated.
How to update the catalogue: docs/translations.md.
"""

import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
PO_FILE = ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "N_": None}
HOW_TO = "see docs/translations.md for how to update the catalogue"

# %(name)s, %(n)d, %(price).2f ... and the unnamed %s, %d; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>\w+)\))?[-#0+]*\d*(?:\.\d+)?(?P<type>[diouxXeEfFgGcrsa%])"
)


def _ids(message):
    """The msgid of a message, and its plural msgid if it has one."""
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _strings(message):
    if isinstance(message.string, (list, tuple)):
        return list(message.string)
    return [message.string]


def _key(message):
    """How a message is named in a failure: its msgid (and context)."""
    msgid = _ids(message)[0]
    return f"{msgid!r} (context {message.context!r})" if message.context else repr(msgid)


def _where(message):
    return ", ".join(f"{path}:{line}" for path, line in message.locations[:3])


def _placeholders(text):
    return sorted(
        f"%({match['name']}){match['type']}" if match["name"] else f"%{match['type']}"
        for match in PLACEHOLDER.finditer(text or "")
    )


@pytest.fixture(scope="module")
def extracted():
    """The messages of app/ and templates/, extracted with the mapping of babel.cfg."""
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, filename=str(BABEL_CFG))
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    messages = [message for message in catalog if message.id]
    assert messages, "no messages extracted from app/ and templates/: is babel.cfg right?"
    return messages


@pytest.fixture(scope="module")
def german():
    assert PO_FILE.exists(), f"{PO_FILE.relative_to(ROOT)} is missing; {HOW_TO}"
    with PO_FILE.open("rb") as po:
        return read_po(po, locale="de")


def test_the_catalogue_is_not_fuzzy(german):
    assert not german.fuzzy, f"remove the '#, fuzzy' flag of the .po header; {HOW_TO}"


def test_every_message_of_the_code_has_a_german_translation(extracted, german):
    missing, empty, fuzzy = [], [], []
    for message in extracted:
        translation = german.get(message.id, message.context)
        label = f"{_key(message)} ({_where(message)})"
        if translation is None:
            missing.append(label)
        elif not all(_strings(translation)):
            empty.append(label)
        elif translation.fuzzy:
            fuzzy.append(label)
    problems = [
        (f"{len(found)} message(s) {what}:\n  " + "\n  ".join(found))
        for what, found in (
            ("missing from the German catalogue", missing),
            ("without a German translation (empty msgstr)", empty),
            ("marked fuzzy in the German catalogue", fuzzy),
        )
        if found
    ]
    assert not problems, "\n".join(problems) + f"\n{HOW_TO}"


def test_no_entry_of_the_catalogue_is_fuzzy_or_empty(german):
    """Every entry of the .po, also one the code no longer uses: neither would be shown."""
    bad = [_key(message) for message in german if message.id and message.fuzzy]
    bad += [_key(message) for message in german if message.id and not all(_strings(message))]
    assert not bad, "fuzzy or untranslated entries in the German catalogue:\n  " + "\n  ".join(bad)


def test_translations_keep_the_placeholders(german):
    changed = []
    for message in german:
        if not message.id or not all(_strings(message)):
            continue
        expected = _placeholders(_ids(message)[-1])
        for form, string in enumerate(_strings(message)):
            found = _placeholders(string)
            # The singular form of a plural message may drop the count ("Ein Eintrag").
            singular = message.pluralizable and form == 0
            if found != expected and not (singular and set(found) <= set(expected)):
                changed.append(f"{_key(message)}: expected {expected}, found {found} in {string!r}")
    assert not changed, "translations that lose or change placeholders:\n  " + "\n  ".join(changed)


def test_the_catalogue_compiles(german):
    errors = [
        f"{_key(message)}: " + "; ".join(str(error) for error in message_errors)
        for message, message_errors in german.check()
    ]
    assert not errors, "pybabel compile would report:\n  " + "\n  ".join(errors)
    compiled = io.BytesIO()
    write_mo(compiled, german)
    assert compiled.getvalue(), "the compiled catalogue is empty"
