"""Messages of the pure modules: English text as they are, German once translated()."""

import copy

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from app.frameworks.case import read_case
from app.frameworks.moodlecsv import read_moodle_csv
from app.frameworks.tree import FormatError
from app.messages import N_, Message, translated
from config import ROOT
from tests.unit.test_framework_formats import ITEMS, LINKS, MOODLE, case_package


@pytest.fixture()
def babel_app():
    """Just Flask-Babel on the project's catalogue: no database, no configuration."""
    app = Flask(__name__)
    Babel(app, default_translation_directories=str(ROOT / "translations"))
    with app.app_context():
        yield app


def test_a_message_is_its_english_text_and_keeps_template_and_parameters():
    message = N_("parent '%(parent)s' of '%(key)s' does not exist", parent="x", key="y")
    assert isinstance(message, str) and isinstance(message, Message)
    assert message == "parent 'x' of 'y' does not exist"
    assert f"line 3: {message}" == "line 3: parent 'x' of 'y' does not exist"
    assert message.template == "parent '%(parent)s' of '%(key)s' does not exist"
    assert message.params == {"parent": "x", "key": "y"}


def test_a_message_without_parameters_is_left_unformatted_as_gettext_leaves_it():
    assert N_("100% sure") == "100% sure"
    assert N_("the file is empty").params == {}


def test_a_message_survives_a_copy():
    message = N_("line %(line)d", line=7)
    for again in (copy.copy(message), copy.deepcopy(message)):
        assert (
            again == "line 7" and again.template == "line %(line)d" and again.params == {"line": 7}
        )


def test_translated_gives_german_in_a_german_context(babel_app):
    with force_locale("de"):
        assert translated(N_("line %(line)d", line=7)) == "Zeile 7"
        assert translated(N_("duplicate identifier '%(key)s'", key="B")) == "doppelte Kennung „B“"


def test_translated_translates_parameters_that_are_messages(babel_app):
    nested = N_("not readable as CSV: %(error)s", error=N_("line %(line)d", line=3))
    assert nested == "not readable as CSV: line 3"
    with force_locale("de"):
        assert translated(nested) == "als CSV nicht lesbar: Zeile 3"


def test_translated_keeps_english_and_leaves_other_values_alone(babel_app):
    with force_locale("en"):
        assert translated(N_("line %(line)d", line=7)) == "line 7"
    with force_locale("de"):
        assert translated("line 7") == "line 7"
        assert translated(3) == 3
        assert translated(None) is None


def test_translated_outside_an_app_is_english():
    assert translated(N_("item %(key)s", key="c-1")) == "item c-1"


def test_parser_problems_are_messages_with_the_english_text_of_the_cli(babel_app):
    with pytest.raises(FormatError) as raised:
        read_moodle_csv(MOODLE + "nope,C,C,,1,,,,,,,,0,\r\n")
    [(where, message)] = raised.value.problems
    assert (where, message) == ("line 7", "parent 'nope' of 'C' does not exist")
    assert str(raised.value) == "line 7: parent 'nope' of 'C' does not exist"
    with force_locale("de"):
        assert translated(where) == "Zeile 7"
        assert translated(message) == "das übergeordnete Element „nope“ von „C“ gibt es nicht"


def test_case_problems_and_warnings_translate_with_their_item(babel_app):
    with pytest.raises(FormatError) as raised:
        read_case(case_package(ITEMS, [*LINKS[:3], ("c-1", "elsewhere", 1)]))
    where, message = raised.value.problems[0]
    assert (where, message) == ("item c-1", "parent 'elsewhere' does not exist in the package")
    warnings = read_case(case_package(ITEMS, [*LINKS, ("c-2", "elsewhere", 3)])).warnings
    assert [(str(w), str(m)) for w, m in warnings] == [
        ("association a-c-2", "'c-2' has a second parent 'elsewhere'; kept the first")
    ]
    with force_locale("de"):
        assert translated(where) == "Element c-1"
        assert (
            translated(message)
            == "das übergeordnete Element „elsewhere“ gibt es in diesem Paket nicht"
        )
        assert translated(warnings[0][0]) == "Verknüpfung a-c-2"
