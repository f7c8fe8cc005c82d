"""User journeys in a real browser: log in per role, switch the language, create a user,
use the site on a phone, and never trip the Content-Security-Policy.

German assertions use the words of the UI glossary (Anmelden, Abmelden, Mein Lernbereich, …);
other German texts come from the app's own catalogue through the `translate` fixture."""

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from app.seed import DEMO_DOMAIN, DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


@dataclass(frozen=True)
class Role:
    email: str
    name: str
    start: str  # path of the start page
    heading: str  # its main heading, in German
    menu: tuple  # top-level navigation entries beside brand, language and user menu
    dropdowns: tuple  # ((title, entries), ...) of the dropdown sections
    forbidden: str  # another role's start page, answered with 403


LEARNING = (
    "Lernen",
    ("Mein Lernbereich", "Kurskatalog", "Kursfeedback", "Mein Kompetenzprofil", "Mein Medienpass"),
)
ROLES = {
    "admin": Role(
        email=f"admin@{DEMO_DOMAIN}",
        name="Andreas Adler",
        start="/admin/",
        heading="Administration",
        menu=("Administration",),
        dropdowns=(
            (
                "Administration",
                (
                    "Übersicht",
                    "Benutzer",
                    "Abteilungen",
                    "Arbeitsplatztypen",
                    "Benutzer importieren",
                    "Auditprotokoll",
                    "Einstellungen",
                    "Datenschutz (DSGVO)",
                    "Zugriffsanträge",
                ),
            ),
        ),
        forbidden="/dashboard",
    ),
    "hr": Role(
        email=f"hr@{DEMO_DOMAIN}",
        name="Helga Hoffmann",
        start="/hr/",
        heading="Personalbereich",
        menu=("Lernen", "Personal"),
        dropdowns=(
            LEARNING,
            (
                "Personal",
                (
                    "Personalbereich",
                    "Benutzer importieren",
                    "Pflichtschulungen",
                    "Kurse zuweisen",
                    "Kompetenzprofile",
                    "Vorkenntnisse erfassen",
                    "Kompetenzmatrix",
                    "Lückenbericht",
                    "Medienpässe",
                    "Datenauskunft auf Antrag",
                    "Zugriffsanträge",
                ),
            ),
        ),
        forbidden="/admin/",
    ),
    "trainer": Role(
        email=f"trainer@{DEMO_DOMAIN}",
        name="Tobias Trautmann",
        start="/trainer/",
        heading="Trainerbereich",
        menu=("Lernen", "Schulung"),
        dropdowns=(
            LEARNING,
            (
                "Schulung",
                (
                    "Trainerbereich",
                    "Kompetenzrahmen",
                    "Kurse",
                    "Fragensammlungen",
                    "Quizze",
                    "Kursfeedback",
                    "Medienkonzept",
                    "Schulungsprojekte",
                    "Kompetenzprofile",
                    "Person bewerten",
                    "Zugriffsanträge",
                ),
            ),
        ),
        forbidden="/hr/",
    ),
    "learner": Role(
        email=f"learner@{DEMO_DOMAIN}",
        name="Lena Lehmann",
        start="/dashboard",
        heading="Mein Lernbereich",
        menu=("Lernen",),
        dropdowns=(LEARNING,),
        forbidden="/trainer/",
    ),
}

# Seeded learners that no other test uses, so that their settings can change freely.
LANGUAGE_USER = (f"sophie.becker@{DEMO_DOMAIN}", "Sophie Becker")
PHONE_USER = (f"marie.koch@{DEMO_DOMAIN}", "Marie Koch")


def path_is(path):
    """A URL matcher for expect(page).to_have_url: this path, with or without a query."""
    return re.compile(r"^https?://[^/]+" + re.escape(path) + r"(\?.*)?$")


def arrive(page, path):
    """Wait until the browser shows path and the page has loaded its styles and scripts.

    Without the second step a test may look at the navigation before Bootstrap's CSS hides the
    dropdowns, or click a dropdown before Bootstrap's JavaScript listens."""
    expect(page).to_have_url(path_is(path))
    page.wait_for_load_state("load")


def switch_language(page, code):
    """Click DE or EN in the navbar; wait until the page comes back in that language."""
    nav = main_nav(page, german=html_lang(page) == "de")
    nav.get_by_role("button", name=code.upper(), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", code.lower())
    page.wait_for_load_state("load")


def login(page, email, password=DEMO_PASSWORD):
    """Log in through the form, whatever the language of the page (fields by id)."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("#submit").click()


def main_nav(page, german=True):
    return page.get_by_role("navigation", name="Hauptnavigation" if german else "Main navigation")


def visible_entries(nav):
    """Texts of the visible links and buttons of the navigation, in order."""
    texts = nav.get_by_role("link").all_inner_texts() + nav.get_by_role("button").all_inner_texts()
    return [" ".join(text.split()) for text in texts]


def html_lang(page):
    return page.locator("html").get_attribute("lang")


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# ---- 1. each role logs in, sees its start page and its menu, and logs out


@pytest.mark.parametrize("role", list(ROLES))
def test_role_start_page_menu_logout(page, screenshot, role):
    person = ROLES[role]
    page.goto("/")
    arrive(page, "/login")
    page.get_by_label("E-Mail-Adresse").fill(person.email)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    arrive(page, person.start)
    expect(page.get_by_role("heading", level=1)).to_have_text(person.heading)
    nav = main_nav(page)
    user_menu = nav.get_by_role("button", name=person.name, exact=True)
    expect(user_menu).to_be_visible()

    # The menu holds what the role may use, and nothing more.
    chrome = {"DE", "EN", person.name}
    entries = [
        text
        for text in visible_entries(nav)
        if text not in chrome and not text.endswith("Medienpass")
    ]
    assert entries == list(person.menu)
    for other in ("Administration", "Personalbereich", "Trainerbereich", "Mein Lernbereich"):
        in_dropdowns = any(other in entries for _title, entries in person.dropdowns)
        if other not in person.menu and not in_dropdowns:
            expect(nav.get_by_text(other, exact=True)).to_have_count(0)
    screenshot(page, "start")

    for title, expected in person.dropdowns:
        before = set(nav.get_by_role("link").all_inner_texts())
        nav.get_by_role("button", name=title, exact=True).click()
        expect(nav.get_by_role("link", name=expected[0], exact=True)).to_be_visible()
        opened = [t for t in nav.get_by_role("link").all_inner_texts() if t not in before]
        assert opened == list(expected)
        screenshot(page, f"menu-{title}")
        page.keyboard.press("Escape")

    # Another role's start page stays closed.
    response = page.goto(person.forbidden)
    assert response.status == 403
    page.goto(person.start)

    main_nav(page).get_by_role("button", name=person.name, exact=True).click()
    page.get_by_role("button", name="Abmelden").click()
    arrive(page, "/login")
    expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(main_nav(page).get_by_role("button", name=person.name)).to_have_count(0)

    # Logged out means logged out: the start page asks for a login again.
    page.goto(person.start)
    arrive(page, "/login")


# ---- 2. language: browser default, the switch in the navbar, stored on the user


@pytest.mark.parametrize(
    ("locale", "lang", "button", "email", "password"),
    [
        ("de-DE", "de", "Anmelden", "E-Mail-Adresse", "Passwort"),
        ("en-US", "en", "Log in", "E-mail address", "Password"),
    ],
)
def test_login_page_speaks_the_browser_language(
    new_page, screenshot, locale, lang, button, email, password
):
    page = new_page(locale=locale)
    page.goto("/login")
    assert html_lang(page) == lang
    expect(page.get_by_role("button", name=button)).to_be_visible()
    expect(page.get_by_label(email)).to_be_visible()
    expect(page.get_by_label(password)).to_be_visible()
    screenshot(page, "login")


def test_language_switch_stored_on_user(new_page, screenshot):
    email, name = LANGUAGE_USER
    page = new_page()
    login(page, email)
    arrive(page, "/dashboard")
    assert html_lang(page) == "de"

    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My dashboard")
    arrive(page, "/dashboard")
    main_nav(page, german=False).get_by_role("button", name=name).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    screenshot(page, "english")

    switch_language(page, "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Lernbereich")
    main_nav(page).get_by_role("button", name=name).click()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()

    # English again, then log out: the login page keeps the language of the session …
    page.keyboard.press("Escape")
    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My dashboard")
    main_nav(page, german=False).get_by_role("button", name=name).click()
    page.get_by_role("button", name="Log out").click()
    arrive(page, "/login")
    assert html_lang(page) == "en"
    expect(page.get_by_role("button", name="Log in")).to_be_visible()

    # … and a fresh German browser gets English after the login: the choice is the user's.
    fresh = new_page(locale="de-DE")
    fresh.goto("/login")
    assert html_lang(fresh) == "de"
    login(fresh, email)
    arrive(fresh, "/dashboard")
    expect(fresh.get_by_role("heading", level=1)).to_have_text("My dashboard")
    assert html_lang(fresh) == "en"

    # Back to German, which also leaves the account as the seed made it.
    switch_language(fresh, "de")
    expect(fresh.get_by_role("heading", level=1)).to_have_text("Mein Lernbereich")


# ---- 3. the admin creates a user, who can then log in


def test_admin_creates_user_who_logs_in(new_page, screenshot, translate):
    page = new_page()
    login(page, ROLES["admin"].email)
    arrive(page, "/admin/")

    nav = main_nav(page)
    nav.get_by_role("button", name="Administration", exact=True).click()
    nav.get_by_role("link", name="Benutzer", exact=True).click()
    arrive(page, "/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benutzer")
    page.get_by_role("link", name="Neuer Benutzer").click()
    arrive(page, "/admin/users/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuer Benutzer")

    name, email, password = (
        "Greta Gründlich",
        "greta.gruendlich@muster-gmbh.example",
        "Greta-2026-sicher",
    )
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label(translate("Department"), exact=True).select_option(label="Marketing")
    page.get_by_label(translate("Job role"), exact=True).select_option(
        label="Social-Media-Management"
    )
    page.get_by_label("Lernende", exact=True).check()
    for other in ("Trainer", "Personal", "Administrator"):
        expect(page.get_by_label(other, exact=True)).not_to_be_checked()
    page.get_by_label("Passwort", exact=True).fill(password)
    screenshot(page, "form")
    page.get_by_role("button", name="Speichern").click()

    arrive(page, "/admin/users")
    expect(page.get_by_role("alert")).to_contain_text(name)
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    screenshot(page, "saved")

    newcomer = new_page()
    login(newcomer, email, password)
    arrive(newcomer, "/dashboard")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Mein Lernbereich")
    expect(newcomer.get_by_role("main")).to_contain_text(name)
    user_menu = main_nav(newcomer).get_by_role("button", name=name, exact=True)
    expect(user_menu).to_be_visible()
    assert visible_entries(main_nav(newcomer)).count("Administration") == 0

    user_menu.click()
    main_nav(newcomer).get_by_role("link", name="Mein Konto").click()
    arrive(newcomer, "/account")
    expect(newcomer.get_by_role("main")).to_contain_text(email)
    expect(newcomer.get_by_role("main")).to_contain_text("Marketing")
    expect(newcomer.get_by_role("main")).to_contain_text("Social-Media-Management")
    screenshot(newcomer, "account")


# ---- 4. on a phone


PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def open_phone_menu(page):
    toggler = page.get_by_role("button", name="Menü")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    toggler.tap()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def test_phone_login_and_dashboard(new_page, screenshot):
    email, name = PHONE_USER
    page = new_page(**PHONE)
    page.goto("/login")
    nav = main_nav(page)
    # Anonymous visitors have nothing to collapse: the language switch stays in sight.
    expect(nav.get_by_role("button", name="Menü")).to_have_count(0)
    expect(nav.get_by_role("button", name="DE", exact=True)).to_be_visible()
    expect(nav.get_by_role("button", name="EN", exact=True)).to_be_visible()
    assert no_horizontal_overflow(page)
    screenshot(page, "login")

    page.get_by_label("E-Mail-Adresse").tap()
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").tap()
    arrive(page, "/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Lernbereich")
    nav = main_nav(page)
    expect(nav.get_by_role("button", name="Lernen", exact=True)).to_be_hidden()
    assert no_horizontal_overflow(page)
    screenshot(page, "dashboard")

    open_phone_menu(page)
    expect(nav.get_by_role("button", name="Lernen", exact=True)).to_be_visible()
    nav.get_by_role("button", name=name, exact=True).tap()
    expect(nav.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(nav.get_by_role("link", name="Mein Konto")).to_be_visible()
    assert no_horizontal_overflow(page)
    screenshot(page, "dashboard-menu", full_page=False)

    nav.get_by_role("link", name="Mein Konto").tap()
    arrive(page, "/account")
    expect(page.get_by_role("main")).to_contain_text(email)
    assert no_horizontal_overflow(page)
    screenshot(page, "account")


# ---- 5. the Content-Security-Policy holds on every page


def test_csp_holds_on_every_page(new_page, console, screenshot):
    visits = {
        None: ["/login"],
        "admin": [
            "/admin/",
            "/admin/users",
            "/admin/users/new",
            "/admin/departments",
            "/admin/job-roles",
            "/admin/audit",
            "/hr/users/import",
            "/account",
        ],
        "hr": ["/hr/", "/hr/users/import", "/dashboard"],
        "trainer": ["/trainer/"],
        "learner": ["/dashboard", "/account", "/admin/"],
    }
    seen, refused = 0, set()
    for role, paths in visits.items():
        page = new_page()
        if role:
            login(page, ROLES[role].email)
            arrive(page, ROLES[role].start)
        for path in paths:
            response = page.goto(path)
            assert response.status in (200, 403), path
            if response.status != 200:
                refused.add(page.url)
            assert "script-src 'self'" in response.headers["content-security-policy"], path
            screenshot(page, f"{role or 'anonymous'}-{path.strip('/').replace('/', '-')}")
            # Every widget that needs JavaScript or styles works: open each dropdown.
            for toggle in main_nav(page).get_by_role("button").all():
                if toggle.get_attribute("data-bs-toggle") == "dropdown":
                    toggle.click()
                    page.keyboard.press("Escape")
            seen += 1
        if role == "admin":
            page.goto("/admin/users")
            page.get_by_role("link", name=ROLES["hr"].name, exact=True).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(ROLES["hr"].name)
            seen += 1
    page = new_page()
    response = page.goto("/no-such-page")
    assert response.status == 404
    refused.add(page.url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "not-found")

    assert seen >= 15
    assert console.csp_violations() == []
    # Chromium logs the status of a page answered with an error: expected for the refused
    # pages only.
    unexpected = [
        m
        for m in console.errors()
        if not (m.text.startswith("Failed to load resource") and m.url in refused)
    ]
    assert unexpected == [], "\n".join(map(str, unexpected))


def test_csp_watch_notices_violation(browser, live_server):
    """The CSP check is not blind: an inline style, forbidden by the policy, is reported."""
    from tests.e2e.conftest import Console

    watcher = Console()
    context = browser.new_context(base_url=live_server, locale="de-DE")
    try:
        watcher.watch(context)
        page = context.new_page()
        page.goto("/login")
        page.evaluate(
            "() => { const s = document.createElement('style');"
            " s.textContent = 'body { color: red }'; document.head.appendChild(s); }"
        )
        page.wait_for_timeout(200)
        assert watcher.csp_violations(), watcher.messages
    finally:
        context.close()
