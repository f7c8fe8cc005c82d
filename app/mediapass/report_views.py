"""HR's competence reports: the matrix of people × competences (person-level, audited) and
the gap report by department or job role (aggregates, withheld below the minimum group
size); both as pages with heatmaps and as CSV and XLSX."""

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.accounts import audit, settings
from app.accounts.access import roles_required
from app.accounts.services import departments, job_roles
from app.council import approvals
from app.extensions import db
from app.frameworks.profile_views import chosen_framework
from app.mediapass import gaps as aggregates
from app.mediapass import heatmaps as charts
from app.mediapass import report_queries as services
from app.tabular import csv_response, xlsx_response

bp = Blueprint("reports", __name__, url_prefix="/reports")

READERS = ("hr", "admin")
PER_PAGE = 50


def _filters():
    return (
        request.args.get("department", type=int) or None,
        request.args.get("job_role", type=int) or None,
    )


def _framework_or_404():
    framework, frameworks = chosen_framework()
    if framework is None:
        abort(404)
    return framework, frameworks


def _condition(covered):
    """None, or the SQL condition of the people an approval covers (works-council mode)."""
    return None if covered.everyone else covered.where()


def _level_name(names, level):
    return names[level - 1] if 0 < level <= len(names) else "–"


def _matrix_chart(framework, competences, people):
    names = [level.name for level in framework.scale.levels]
    cells = {}
    for r, person in enumerate(people):
        for c, competence in enumerate(competences):
            held = person.held.get(competence.code, 0)
            target = person.targets.get(competence.code, 0)
            tip = f"{person.name} · {competence.code} {competence.title}: " + _(
                "%(held)s, required %(target)s",
                held=_level_name(names, held),
                target=_level_name(names, target),
            )
            cell = charts.level_cell(held, target, names, tip)
            if cell is not None:
                cells[(r, c)] = cell
    svg = charts.grid_svg(
        _("Competence matrix"),
        [(p.name, f"{p.name} · {p.department} · {p.job_role}") for p in people],
        [(c.code, c.title) for c in competences],
        cells,
        note=_("Outlined in red: below the level the job role requires."),
    )
    return Markup(svg)  # noqa: S704  grid_svg escapes every text


@bp.route("/matrix")
@roles_required(*READERS)
def matrix():
    """People × competences with the levels they hold; who looked is audited."""
    framework, frameworks = chosen_framework()
    if framework is None:
        return render_template("mediapass/no_framework.html", title=_("Competence matrix"))
    department_id, job_role_id = _filters()
    covered = approvals.require_anyone(current_user)
    page = db.paginate(
        services.people_statement(department_id, job_role_id, _condition(covered)),
        per_page=PER_PAGE,
        error_out=False,
    )
    competences = services.competences(framework)
    people = services.as_people(framework, page.items)
    # Each person shown reads the view on their own page ("who looked at my data").
    audit.record_people(
        current_user,
        "report.matrix",
        [(user.id, user.email) for user in page.items],
        {"department": department_id, "job_role": job_role_id, "page": page.page},
    )
    db.session.commit()
    return render_template(
        "mediapass/matrix.html",
        framework=framework,
        frameworks=frameworks,
        page=page,
        chart=_matrix_chart(framework, competences, people) if people else None,
        departments=departments(),
        job_roles=job_roles(),
        department_id=department_id,
        job_role_id=job_role_id,
        works_council=not covered.everyone,
    )


def _matrix_table(framework):
    department_id, job_role_id = _filters()
    covered = approvals.require_anyone(current_user)
    competences = services.competences(framework)
    statement = services.people_statement(department_id, job_role_id, _condition(covered))
    users = db.session.scalars(statement).unique().all()
    people = services.as_people(framework, users)
    header = [_("Name"), _("Department"), _("Job role")] + [c.code for c in competences]
    rows = [
        [p.name, p.department, p.job_role] + [p.held.get(c.code, 0) for c in competences]
        for p in people
    ]
    audit.record_people(
        current_user,
        "report.export",
        [(user.id, user.email) for user in users],
        {"report": "matrix", "department": department_id, "job_role": job_role_id},
    )
    db.session.commit()
    return header, rows


@bp.route("/matrix.csv")
@roles_required(*READERS)
def matrix_csv():
    framework, _frameworks = _framework_or_404()
    header, rows = _matrix_table(framework)
    return csv_response("competence-matrix.csv", header, rows)


@bp.route("/matrix.xlsx")
@roles_required(*READERS)
def matrix_xlsx():
    framework, _frameworks = _framework_or_404()
    header, rows = _matrix_table(framework)
    return xlsx_response("competence-matrix.xlsx", [(_("Competence matrix"), header, rows)])


def _gap_groups(framework):
    by = "job_role" if request.args.get("by") == "job_role" else "department"
    competences = services.competences(framework)
    people = services.everyone(framework)
    key = (lambda p: p.job_role) if by == "job_role" else (lambda p: p.department)
    minimum = settings.report_min_group()
    groups = aggregates.gap_report(people, key, [c.code for c in competences], minimum)
    return by, competences, groups, minimum


def _gap_chart(competences, groups):
    shown = [g for g in groups if not g.withheld]
    cells = {}
    for r, competence in enumerate(competences):
        for c, group in enumerate(shown):
            cell = group.cells.get(competence.code)
            if cell is not None:
                tip = _(
                    "%(group)s · %(code)s: %(met)d of %(required)d meet the required level",
                    group=group.name,
                    code=competence.code,
                    met=cell.met,
                    required=cell.required,
                )
                cells[(r, c)] = charts.share_cell(cell.share, tip)
    return Markup(  # noqa: S704  grid_svg escapes every text
        charts.grid_svg(
            _("Gap report"),
            [(f"{c.code} {c.title}", c.title) for c in competences],
            [(g.name, g.name) for g in shown],
            cells,
            note=_("Share of people meeting the required level, in percent."),
            column=96,
        )
    )


@bp.route("/gaps")
@roles_required(*READERS)
def gaps():
    """Required against held, per department or job role: the share meeting each target."""
    framework, frameworks = chosen_framework()
    if framework is None:
        return render_template("mediapass/no_framework.html", title=_("Gap report"))
    by, competences, groups, minimum = _gap_groups(framework)
    return render_template(
        "mediapass/gaps.html",
        framework=framework,
        frameworks=frameworks,
        by=by,
        competences=competences,
        groups=groups,
        shown=[g for g in groups if not g.withheld],
        minimum=minimum,
        chart=_gap_chart(competences, groups) if groups else None,
    )


def _gap_table(framework):
    by, competences, groups, minimum = _gap_groups(framework)
    header = [
        _("Department") if by == "department" else _("Job role"),
        _("People"),
        _("Competence"),
        _("Required (people)"),
        _("Meeting the target"),
        _("Share in %"),
        _("Mean required level"),
        _("Mean held level"),
    ]
    rows = []
    for group in groups:
        if group.withheld:
            note = _("withheld: fewer than %(n)d people", n=minimum)
            rows.append([group.name, "", note, "", "", "", "", ""])
            continue
        for competence in competences:
            cell = group.cells.get(competence.code)
            if cell is None:
                continue
            rows.append(
                [
                    group.name,
                    group.size,
                    f"{competence.code} {competence.title}",
                    cell.required,
                    cell.met,
                    round(100 * cell.share, 1),
                    round(cell.target, 2),
                    round(cell.held, 2),
                ]
            )
    return by, header, rows


@bp.route("/gaps.csv")
@roles_required(*READERS)
def gaps_csv():
    framework, _frameworks = _framework_or_404()
    by, header, rows = _gap_table(framework)
    return csv_response(f"gap-report-{by}.csv", header, rows)


@bp.route("/gaps.xlsx")
@roles_required(*READERS)
def gaps_xlsx():
    framework, _frameworks = _framework_or_404()
    by, header, rows = _gap_table(framework)
    return xlsx_response(f"gap-report-{by}.xlsx", [(_("Gap report"), header, rows)])
