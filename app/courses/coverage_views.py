"""The curriculum coverage page: which required competences the courses develop, and which
no course develops. A route of the courses blueprint."""

from flask import render_template, request
from flask_babel import gettext as _
from markupsafe import Markup

from app.accounts.access import roles_required
from app.courses import coverage_service
from app.courses.coverage_chart import Labels, heatmap_svg
from app.courses.views import bp
from app.frameworks import profiles


def chart_labels():
    return Labels(
        title=_("Curriculum coverage"),
        required=_("Required"),
        best=_("Developed"),
        not_developed=_("not developed"),
        gap=_("required, no course develops it"),
        under=_("developed below the required level"),
        draft=_("draft course, not counted"),
    )


@bp.route("/coverage")
@roles_required("trainer", "admin")
def coverage():
    """Abdeckung des Curriculums: competences × courses, against the requirement profiles."""
    frameworks = profiles.published_frameworks()
    chosen = request.args.get("framework", type=int)
    framework = next((f for f in frameworks if f.id == chosen), None)
    framework = framework or profiles.default_framework()
    if framework is None:
        return render_template("courses/coverage.html", report=None, frameworks=[])
    report = coverage_service.coverage_for(framework)
    # heatmap_svg escapes every text it writes into the SVG.
    chart = Markup(heatmap_svg(report.coverage, chart_labels()))  # noqa: S704
    return render_template(
        "courses/coverage.html", report=report, frameworks=frameworks, chart=chart
    )
