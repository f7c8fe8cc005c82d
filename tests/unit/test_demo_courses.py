"""The demo courses shipped as data: valid KMK competences, a sound prerequisite graph,
complete lessons in safe Markdown.

Pure: reads the JSON file only, no Flask, no database.
"""

import json
import re
from pathlib import Path

import pytest

DEMO_COURSES = (
    Path(__file__).resolve().parents[2] / "app" / "courses" / "data" / "demo_courses.json"
)

KMK_CODES = {
    *("1.1", "1.2", "1.3"),
    *("2.1", "2.2", "2.3", "2.4", "2.5"),
    *("3.1", "3.2", "3.3"),
    *("4.1", "4.2", "4.3", "4.4"),
    *("5.1", "5.2", "5.3", "5.4", "5.5"),
    *("6.1", "6.2"),
}
LEVELS = {1, 2, 3, 4}  # Grundlagen, Aufbau, Fortgeschritten, Expertise

REQUIRED_TITLES = {
    "Datenschutz am Arbeitsplatz (DSGVO)",
    "Phishing erkennen",
    "Urheberrecht, Bildrechte und Markenrecht im Netz",
    "Netiquette und wertschätzende Online-Kommunikation",
    "Social Media Manager",
    "IT-Support: Kunden beraten und schulen",
    "Digital zusammenarbeiten: Dateien, Teams und Videokonferenzen",
    "Informationen recherchieren und Quellen bewerten",
}
COURSE_FIELDS = {
    "key",
    "title",
    "summary",
    "language",
    "hours",
    "mandatory",
    "validity_months",
    "competences",
    "prerequisites",
    "modules",
}

RAW_HTML = re.compile(r"<(?:[^\W\d_]|/)")  # "<" followed by a letter or "/"
JAVASCRIPT = re.compile(r"javascript:", re.IGNORECASE)
WORD = re.compile(r"\w+")
MIN_WORDS = 100


@pytest.fixture(scope="module")
def courses():
    data = json.loads(DEMO_COURSES.read_text(encoding="utf-8"))
    assert isinstance(data, list) and data
    return data


def _lessons(courses):
    for course in courses:
        for module in course["modules"]:
            for lesson in module["lessons"]:
                yield course, module, lesson


def _is_level(value):
    return isinstance(value, int) and not isinstance(value, bool) and value in LEVELS


def test_every_course_has_the_documented_fields(courses):
    for course in courses:
        assert set(course) == COURSE_FIELDS, course.get("key")
        assert isinstance(course["key"], str) and re.fullmatch(r"[a-z0-9-]+", course["key"])
        assert course["title"].strip() and course["summary"].strip(), course["key"]
        assert course["language"] == "de", course["key"]
        assert isinstance(course["hours"], int | float) and course["hours"] > 0, course["key"]
        assert set(course["prerequisites"]) == {"courses", "competences"}, course["key"]


def test_keys_are_unique(courses):
    keys = [course["key"] for course in courses]
    assert len(keys) == len(set(keys))


def test_competences_are_kmk_codes_with_levels_1_to_4(courses):
    for course in courses:
        mapped = course["competences"]
        assert 2 <= len(mapped) <= 5, course["key"]
        codes = [item["code"] for item in mapped]
        assert len(codes) == len(set(codes)), course["key"]
        required = course["prerequisites"]["competences"]
        for item in [*mapped, *required]:
            assert set(item) == {"code", "level"}, course["key"]
            assert item["code"] in KMK_CODES, (course["key"], item["code"])
            assert _is_level(item["level"]), (course["key"], item)


def test_course_prerequisites_exist_and_form_no_cycle(courses):
    requires = {course["key"]: course["prerequisites"]["courses"] for course in courses}
    for key, needed in requires.items():
        for other in needed:
            assert other in requires, f"{key} requires the unknown course {other}"
            assert other != key, f"{key} requires itself"

    done, on_path = set(), []

    def visit(key):
        if key in done:
            return
        assert key not in on_path, "prerequisite cycle: " + " -> ".join([*on_path, key])
        on_path.append(key)
        for other in requires[key]:
            visit(other)
        on_path.pop()
        done.add(key)

    for key in requires:
        visit(key)


def test_mandatory_courses_and_only_they_have_a_validity_period(courses):
    for course in courses:
        assert isinstance(course["mandatory"], bool), course["key"]
        if course["mandatory"]:
            assert course["validity_months"] in (12, 24), course["key"]
        else:
            assert course["validity_months"] is None, course["key"]


def test_every_course_has_modules_and_every_module_lessons(courses):
    for course in courses:
        assert course["modules"], course["key"]
        for module in course["modules"]:
            assert module["title"].strip(), course["key"]
            assert module["lessons"], (course["key"], module["title"])


def test_every_lesson_has_a_title_and_a_real_text(courses):
    for course, module, lesson in _lessons(courses):
        where = (course["key"], module["title"], lesson.get("title"))
        assert set(lesson) == {"title", "body", "links"}, where
        assert lesson["title"].strip(), where
        assert len(WORD.findall(lesson["body"])) >= MIN_WORDS, where


def test_bodies_hold_no_raw_html_and_no_javascript(courses):
    for course, module, lesson in _lessons(courses):
        where = (course["key"], module["title"], lesson["title"])
        assert not RAW_HTML.search(lesson["body"]), where
        assert not JAVASCRIPT.search(lesson["body"]), where


def test_links_are_https(courses):
    for course, module, lesson in _lessons(courses):
        for link in lesson["links"]:
            where = (course["key"], module["title"], lesson["title"], link)
            assert set(link) == {"title", "url"} and link["title"].strip(), where
            assert link["url"].startswith("https://"), where
            assert not JAVASCRIPT.search(link["url"]) and " " not in link["url"], where


def test_social_media_manager_follows_the_six_module_certificate_course(courses):
    course = next(course for course in courses if course["title"] == "Social Media Manager")
    assert len(course["modules"]) == 6
    assert course["hours"] == 60


def test_the_catalogue_holds_the_eight_demo_courses(courses):
    assert REQUIRED_TITLES <= {course["title"] for course in courses}
