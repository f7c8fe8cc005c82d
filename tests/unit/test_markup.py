"""Markdown from users becomes safe HTML."""

from app.markup import render_markdown


def test_markdown_renders():
    html = render_markdown("# Ziele\n\n- **Datenschutz** für alle\n- [KMK](https://www.kmk.org)")
    assert "<h2>Ziele</h2>" in html and "<strong>Datenschutz</strong>" in html
    assert '<a href="https://www.kmk.org" rel="noopener noreferrer nofollow">KMK</a>' in html


def test_scripts_handlers_and_javascript_links_are_removed():
    html = render_markdown(
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n'
        "[klick](javascript:alert(1))"
    )
    # Raw HTML stays visible as text, never as markup; the javascript: link is no link.
    assert "<script" not in html and "<img" not in html and "href=" not in html
    assert "&lt;script&gt;" in html


def test_empty_text():
    assert render_markdown("") == ""
