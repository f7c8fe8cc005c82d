"""The Medienpass as an A4 PDF (WeasyPrint, aiming at PDF/A-3b): rendered from a plain dict
made of the signed content, with the profile chart, a QR code to the verification page, and
the signed JSON and its signature embedded as attachments.

WeasyPrint may read nothing but the app's own static files and data: URIs; one font
configuration is shared by every rendering, so fonts are looked up once per process.
WeasyPrint is imported when the first pass is rendered: commands that never render start
faster."""

import base64
import gc
import io
import json
import re
import threading
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from markupsafe import Markup

from app.accounts import settings
from app.frameworks import charts

CONTENT_NAME = "medienpass.json"
SIGNATURE_NAME = "medienpass-signature.json"
SOURCE_LABELS = {
    "de": {
        "course": "Kurs abgeschlossen",
        "quiz": "Quiz bestanden",
        "rating": "Einschätzung durch Trainer/in",
        "prior_learning": "Anerkannte Vorleistung",
    },
    "en": {
        "course": "Course completed",
        "quiz": "Quiz passed",
        "rating": "Rating by a trainer",
        "prior_learning": "Recognised prior learning",
    },
}

_shared = {}


def font_config():
    """The font configuration every rendering shares; the first call also puts the faster
    drawing of chart labels in place (app/svg_print.py)."""
    if "fonts" not in _shared:
        from weasyprint.text.fonts import FontConfiguration

        from app import svg_print

        svg_print.install()
        _shared["fonts"] = FontConfiguration()
    return _shared["fonts"]


def stylesheet(colour):
    """The print styles for a brand colour, parsed once and kept."""
    key = ("css", colour)
    if key not in _shared:
        from weasyprint import CSS

        text = current_app.jinja_env.get_template("mediapass/pass_pdf.css").render(colour=colour)
        _shared[key] = CSS(string=text, font_config=font_config())
    return _shared[key]


def pass_html_class():
    """WeasyPrint's HTML with the pass's own small user-agent stylesheet instead of the whole
    HTML one: the template's few elements need a dozen rules, not hundreds to match."""
    if "html" not in _shared:
        from weasyprint import CSS, HTML

        text = current_app.jinja_env.get_template("mediapass/pass_pdf_ua.css").render()
        agent = CSS(string=text, font_config=font_config())

        class PassHTML(HTML):
            def _ua_stylesheets(self, forms=False):
                return [agent]

            @classmethod
            def from_tree(cls, root, base_url, url_fetcher):
                """The document of an element tree parsed already (see `document_of`):
                what HTML.__init__ sets up after it has parsed a string."""
                import cssselect2

                document = cls.__new__(cls)
                document.base_url = base_url
                document.url_fetcher = url_fetcher
                document.media_type = "print"
                document.wrapper_element = cssselect2.ElementWrapper.from_html_root(
                    root, content_language=None
                )
                document.etree_element = document.wrapper_element.etree_element
                return document

        _shared["html"] = PassHTML
    return _shared["html"]


_collector = {"lock": threading.Lock(), "renderings": 0, "was_enabled": False}


@contextmanager
def collector_paused():
    """Python's cycle collector paused while rendering: a rendering makes hundreds of
    thousands of short-lived objects, and the collections they set off cost a tenth of the
    time. Rendering threads share the pause; the last one to finish ends it."""
    state = _collector
    with state["lock"]:
        if state["renderings"] == 0:
            state["was_enabled"] = gc.isenabled()
            gc.disable()
        state["renderings"] += 1
    try:
        yield
    finally:
        with state["lock"]:
            state["renderings"] -= 1
            if state["renderings"] == 0 and state["was_enabled"]:
                gc.enable()


def warm_up():
    """Load WeasyPrint, the fonts and the print styles of the configured colour before the
    first pass is asked for (a job worker does this once, before it forks; it needs no
    database)."""
    pass_html_class()
    stylesheet(current_app.config.get("BRAND_COLOUR", "#1d4f91"))
    from weasyprint import HTML

    HTML(string="<p>Medienpass</p>").write_pdf(font_config=font_config())


def static_fetcher(static_folder):
    """A WeasyPrint URL fetcher for data: URIs and files below the static folder; it
    refuses the rest (no network, no other files)."""
    from weasyprint.urls import URLFetcher

    root = Path(static_folder).resolve()

    class StaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(url.removeprefix("file://").split("?")[0]).resolve()
                if not path.is_relative_to(root):
                    raise ValueError(f"outside the static folder: {url}")
            elif not url.startswith("data:"):
                raise ValueError(f"not fetched: {url}")
            return super().fetch(url, headers)

    return StaticFetcher(allowed_protocols=("data", "file"))


def qr_data_uri(url):
    """The QR code as a PNG of one pixel per module, drawn without smoothing (the CSS says
    `image-rendering: pixelated`), so it prints sharp at any size. Mask 0 is as valid as any:
    the search for the best of eight masks cost more than the rest of the code."""
    import segno

    out = io.BytesIO()
    segno.make(url, error="m", mask=0).save(out, kind="png", scale=1, border=0, dark="#1f2933")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def chart_svg(content):
    bars = [
        charts.Bar(c["code"], c["title"], c["level"], 0)
        for area in content["areas"]
        for c in area["competences"]
    ]
    if not bars:
        return ""
    labels = ("erreichte Stufe", "") if content["language"] == "de" else ("level held", "")
    svg = charts.profile_chart(
        bars, len(content["scale"]), content["scale"], title="", legend=labels
    )
    # The tooltips of the web page's chart mean nothing on paper; the picture is the same.
    svg = re.sub(r"<title>[^<]*</title>", "", svg)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def css_string(text):
    """`text` as a CSS string literal in which every character but letters, digits and spaces
    is an escape: safe inside a <style> element however the page is parsed."""
    escaped = "".join(
        char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):x} "
        for char in text
    )
    return Markup(f'"{escaped}"')  # noqa: S704 (letters, digits, spaces and escapes only)


def document_of(html):
    """The WeasyPrint document of the print HTML. The template is well-formed XML, so the
    C parser of the standard library reads it in well under a millisecond, where WeasyPrint's
    HTML5 parser (pure Python) takes about 10 ms; a page it cannot read (a control character
    in a name, say) goes to the HTML5 parser."""
    from xml.etree import ElementTree

    base_url = Path(current_app.static_folder).resolve().as_uri() + "/"
    fetcher = static_fetcher(current_app.static_folder)
    cls = pass_html_class()
    try:
        # Our own template: names in it are escaped, so no one can declare entities in it.
        root = ElementTree.fromstring(html)  # noqa: S314
    except ElementTree.ParseError:
        return cls(string=html, base_url=base_url, url_fetcher=fetcher)
    return cls.from_tree(root, base_url, fetcher)


def _logo_data_uri():
    """The logo an admin uploaded, else the static file BRAND_LOGO names, else none."""
    uploaded = settings.logo_data_uri()
    if uploaded:
        return uploaded
    logo = current_app.config.get("BRAND_LOGO")
    if not logo:
        return None
    path = Path(current_app.static_folder, logo).resolve()
    if not path.is_relative_to(Path(current_app.static_folder).resolve()) or not path.exists():
        return None
    kind = "image/svg+xml" if path.suffix == ".svg" else f"image/{path.suffix.lstrip('.')}"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def day(text, language):
    """An ISO date as printed: 23.11.2026, or 23 Nov 2026 in English."""
    if not text:
        return ""
    year, month, day_ = (int(part) for part in text[:10].split("-"))
    if language == "de":
        return f"{day_:02d}.{month:02d}.{year}"
    names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    return f"{day_} {names[month - 1]} {year}"


def context_of(content, record):
    """The plain dict the template reads: the signed content, how it is verified, branding."""
    language = content["language"]
    return {
        "pass": content,
        "serial": record.serial,
        "sha256": record.sha256,
        "key_id": record.key_id,
        "issued_on": day(content["issued_at"], language),
        "day": lambda text: day(text, language),
        "company": content["issuer"]["organisation"],
        "footer": css_string(f"{content['issuer']['organisation']} · Medienpass {record.serial}"),
        "colour": settings.brand_colour(),
        "logo": _logo_data_uri(),
        "qr": qr_data_uri(content["verify_url"]),
        "chart": chart_svg(content),
        "sources": SOURCE_LABELS[language],
        "language": language,
    }


def render_html(context):
    """The print HTML from the plain context alone (no request, no context processors)."""
    return current_app.jinja_env.get_template("mediapass/pass_pdf.html").render(**context)


def render_pass(record):
    """The PDF bytes of an issued pass."""
    from weasyprint import Attachment

    content = json.loads(record.content)
    context = context_of(content, record)
    html = render_html(context)
    signature = {
        "algorithm": "Ed25519",
        "serial": record.serial,
        "sha256": record.sha256,
        "signature": record.signature,
        "key_id": record.key_id,
        "keys": current_app.config["BASE_URL"].rstrip("/") + "/.well-known/medienpass-keys.json",
    }
    attachments = [
        Attachment(
            string=record.content.encode("utf-8"),
            name=CONTENT_NAME,
            description="Signed content (canonical JSON, UTF-8)",
            relationship="Data",
        ),
        Attachment(
            string=json.dumps(signature, sort_keys=True, indent=1).encode("utf-8"),
            name=SIGNATURE_NAME,
            description="SHA-256 and Ed25519 signature of medienpass.json",
            relationship="Supplement",
        ),
    ]
    document = document_of(html)
    with collector_paused():
        return document.write_pdf(
            font_config=font_config(),
            stylesheets=[stylesheet(context["colour"])],
            attachments=attachments,
            pdf_variant="pdf/a-3b",
            pdf_identifier=record.serial.encode("ascii"),
            custom_metadata=True,
        )
