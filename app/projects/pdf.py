"""The plan of a training project as an A4 landscape PDF (WeasyPrint): the schedule table,
the Gantt chart and the network diagram, drawn by the same functions as the page.

WeasyPrint reads nothing but data: URIs and the app's static files (the Medienpass's
fetcher and font configuration are shared)."""

import base64
from datetime import date
from pathlib import Path

from flask import current_app

from app.mediapass.pdf import collector_paused, font_config, static_fetcher
from app.projects import charts


def _data_uri(svg):
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def render_plan(project, plan, language, labels, today=None):
    """The PDF bytes of the plan (planning.Plan) of a project."""
    from weasyprint import HTML

    today = today or date.today()
    context = {
        "project": project,
        "plan": plan,
        "labels": labels,
        "language": language,
        "number": lambda value: charts.number(value, labels["decimal"]),
        "day": lambda value: value.strftime(labels["date"]) if value else "–",
        "today": today,
        "gantt": None,
        "network": None,
    }
    if plan.rows:
        context["gantt"] = _data_uri(
            charts.gantt_svg(plan.chart_rows, plan.arrows, plan.calendar, today, labels)
        )
        context["network"] = _data_uri(
            charts.network_svg(plan.chart_rows, plan.arrows, labels, fit=True)
        )
    html = current_app.jinja_env.get_template("projects/plan_pdf.html").render(**context)
    document = HTML(
        string=html,
        base_url=Path(current_app.static_folder).resolve().as_uri() + "/",
        url_fetcher=static_fetcher(current_app.static_folder),
    )
    with collector_paused():
        return document.write_pdf(font_config=font_config())
