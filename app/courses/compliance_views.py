"""HR's compliance pages: mandatory courses by department, the persons behind a figure,
the CSV export. Routes of the courses blueprint."""

from datetime import date

from flask import Response, abort, render_template
from flask_login import current_user

from app.accounts import settings
from app.accounts.access import roles_required
from app.council import approvals
from app.courses import compliance as report
from app.courses import rules
from app.courses.views import bp

READERS = ("hr", "admin")


def _minimum():
    """In works-council mode, figures of smaller groups are withheld (their names need an
    approval); otherwise the drill-down names the people anyway, so nothing is withheld."""
    return settings.report_min_group() if approvals.active() else 0


@bp.route("/compliance")
@roles_required(*READERS)
def compliance():
    return render_template(
        "courses/compliance.html",
        courses=report.compliance_table(date.today()),
        minimum=_minimum(),
        no_department=report.NO_DEPARTMENT,
        expiring_days=rules.EXPIRING_DAYS,
    )


@bp.route("/compliance/<int:course_id>/<int:department_id>")
@roles_required(*READERS)
def compliance_people(course_id, department_id):
    course = report.mandatory_course(course_id)
    found, department = report.department_of_report(department_id)
    if course is None or not found:
        abort(404)
    today = date.today()
    covered = approvals.require_anyone(current_user)
    people = report.compliance_people(
        current_user, course, department, today, None if covered.everyone else covered.where()
    )
    return render_template(
        "courses/compliance_people.html",
        course=course,
        department=department,
        people=people,
        today=today,
        works_council=not covered.everyone,
    )


@bp.route("/compliance.csv")
@roles_required(*READERS)
def compliance_csv():
    today = date.today()
    text = report.compliance_csv(current_user, today, minimum=_minimum())
    # The BOM lets spreadsheet programs recognise UTF-8, as in every export.
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="compliance-{today.isoformat()}.csv"'
        },
    )
