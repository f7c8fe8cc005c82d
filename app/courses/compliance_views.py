"""HR's compliance pages: mandatory courses by department, the persons behind a figure,
the CSV export. Routes of the courses blueprint."""

from datetime import date

from flask import Response, abort, render_template
from flask_login import current_user

from app.accounts.access import roles_required
from app.courses import compliance as report
from app.courses import rules
from app.courses.views import bp

READERS = ("hr", "admin")


@bp.route("/compliance")
@roles_required(*READERS)
def compliance():
    return render_template(
        "courses/compliance.html",
        courses=report.compliance_table(date.today()),
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
    people = report.compliance_people(current_user, course, department, today)
    return render_template(
        "courses/compliance_people.html",
        course=course,
        department=department,
        people=people,
        today=today,
    )


@bp.route("/compliance.csv")
@roles_required(*READERS)
def compliance_csv():
    today = date.today()
    text = report.compliance_csv(current_user, today)
    # The BOM lets spreadsheet programs recognise UTF-8, as in every export.
    return Response(
        "\ufeff" + text,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="compliance-{today.isoformat()}.csv"'
        },
    )
