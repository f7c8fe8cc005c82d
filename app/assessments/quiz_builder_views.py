"""Trainer pages that build a quiz: create it, change its settings, add fixed questions from
a bank or random draws from a category, order and remove them, choose the competences a
pass proves, publish. Routes of the assessments blueprint."""

from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import roles_required
from app.assessments import quizzes, services
from app.assessments.forms import QuizForm, QuizSettingsForm, RandomDrawForm
from app.assessments.models import QuestionCategory, QuizSlot
from app.assessments.quiz_views import quiz_or_404
from app.assessments.views import EDITORS, bp
from app.courses.mapping import competence_choices
from app.errors import DomainError, refuse
from app.extensions import db
from app.frameworks import profiles


def _course_choices(form):
    from app.courses.services import courses_for_trainers

    form.course_id.choices = [("", "–")] + [
        (course.id, course.title) for course, _n in courses_for_trainers()
    ]


def _settings(form):
    from app.courses.models import Course

    course = db.session.get(Course, form.course_id.data) if form.course_id.data else None
    return dict(
        course=course,
        description=form.description.data,
        pass_mark=form.pass_mark.data,
        attempts_allowed=form.attempts_allowed.data,
        time_limit=form.time_limit.data,
        review=form.review.data,
        shuffle_questions=form.shuffle_questions.data,
        shuffle_answers=form.shuffle_answers.data,
        evidence_per_competence=form.evidence_per_competence.data,
    )


@bp.route("/quizzes")
@roles_required(*EDITORS)
def quizzes_list():
    return render_template("assessments/quizzes.html", quizzes=quizzes.quizzes())


@bp.route("/quizzes/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_quiz():
    """A new quiz; to begin with, the questions of a bank and a competence may come along."""
    form = QuizForm()
    framework = profiles.default_framework()
    _course_choices(form)
    form.bank_id.choices = [("", "–")] + [
        (bank.id, bank.name) for bank, _n in services.banks_with_counts()
    ]
    competences = competence_choices(framework) if framework else []
    form.competence_id.choices = [("", "–")] + [
        (c.id, f"{c.code} {c.title}"[:80]) for c in competences
    ]
    form.level.choices = (
        [(lv.position, lv.name) for lv in framework.scale.levels] if framework else [(1, "1")]
    )
    if form.validate_on_submit():
        try:
            quiz = quizzes.save_quiz(current_user, None, form.title.data, **_settings(form))
            if form.bank_id.data:
                bank = services.get_bank(form.bank_id.data)
                quizzes.add_questions(current_user, quiz, services.bank_questions(bank))
            competence = next((c for c in competences if c.id == form.competence_id.data), None)
            if competence is not None:
                quizzes.set_competences(current_user, quiz, {competence: form.level.data})
        except DomainError as error:
            db.session.rollback()
            refuse(error, form)
        else:
            flash(_("%(title)s has been created as a draft.", title=quiz.title), "success")
            return redirect(url_for("assessments.edit_quiz", quiz_id=quiz.id))
    return render_template("assessments/quiz_form.html", form=form)


def _page(quiz, settings=None, draw=None):
    """The quiz's building page: settings, places, the bank to add questions from."""
    quiz = quizzes.for_editing(quiz)
    settings = settings or QuizSettingsForm(
        obj=quiz, formdata=None, time_limit=quiz.time_limit_minutes
    )
    _course_choices(settings)
    draw = draw or RandomDrawForm(formdata=None)
    draw.category_id.choices = _category_choices()
    banks = services.banks_with_counts()
    bank = services.get_bank(request.args.get("bank", type=int) or 0)
    if bank is None and banks:
        bank = banks[0][0]
    present = {slot.question_id for slot in quiz.slots if slot.question_id}
    return render_template(
        "assessments/quiz_edit.html",
        quiz=quiz,
        settings=settings,
        draw=draw,
        banks=banks,
        bank=bank,
        offered=[q for q in services.bank_questions(bank) if q.id not in present] if bank else [],
        locked=quizzes.has_attempts(quiz),
        competences=sorted(quiz.competences, key=lambda row: row.competence.code),
    )


def _category_choices():
    return [
        (category.id, f"{category.bank.name} / {category.path or '–'} ({count})")
        for category, count in quizzes.categories_with_counts()
        if count
    ]


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_quiz(quiz_id):
    quiz = quiz_or_404(quiz_id, published=False)
    form = QuizSettingsForm()
    _course_choices(form)
    if request.method == "POST" and form.validate_on_submit():
        try:
            quizzes.save_quiz(current_user, quiz, form.title.data, **_settings(form))
        except DomainError as error:
            db.session.rollback()
            refuse(error, form)
        else:
            flash(_("The settings have been saved."), "success")
            return redirect(url_for("assessments.edit_quiz", quiz_id=quiz.id))
    return _page(quiz, settings=form if request.method == "POST" else None)


def _back(quiz, **args):
    return redirect(url_for("assessments.edit_quiz", quiz_id=quiz.id, **args) + "#questions")


def _mark(value):
    try:
        return float(Decimal((value or "1").strip().replace(",", ".")))
    except InvalidOperation:
        return -1.0  # refused by the service, naming the field


@bp.route("/quizzes/<int:quiz_id>/questions", methods=["POST"])
@roles_required(*EDITORS)
def add_quiz_questions(quiz_id):
    """Fixed questions chosen from a bank."""
    quiz = quiz_or_404(quiz_id, published=False)
    bank = services.get_bank(request.form.get("bank", type=int) or 0)
    if bank is None:
        abort(404)
    wanted = {int(v) for v in request.form.getlist("question") if v.isdigit()}
    chosen = [q for q in services.bank_questions(bank) if q.id in wanted]
    if not chosen:
        flash(_("Please choose at least one question."), "danger")
        return _back(quiz, bank=bank.id)
    try:
        added = quizzes.add_questions(current_user, quiz, chosen, _mark(request.form.get("mark")))
    except DomainError as error:
        db.session.rollback()
        refuse(error)
    else:
        flash(_("%(n)d questions added.", n=added), "success")
    return _back(quiz, bank=bank.id)


@bp.route("/quizzes/<int:quiz_id>/random", methods=["POST"])
@roles_required(*EDITORS)
def add_random_questions(quiz_id):
    """A random draw from a category, anew for every attempt."""
    quiz = quiz_or_404(quiz_id, published=False)
    form = RandomDrawForm()
    form.category_id.choices = _category_choices()
    if not form.validate_on_submit():
        return _page(quiz, draw=form)
    category = db.session.get(QuestionCategory, form.category_id.data)
    try:
        quizzes.add_random(current_user, quiz, category, form.draw.data, float(form.mark.data))
    except DomainError as error:
        db.session.rollback()
        refuse(error, form)
        return _page(quiz, draw=form)
    flash(_("%(n)d random questions added.", n=form.draw.data), "success")
    return _back(quiz)


def _slot_or_404(quiz, slot_id):
    slot = db.session.get(QuizSlot, slot_id)
    if slot is None or slot.quiz_id != quiz.id:
        abort(404)
    return slot


@bp.route("/quizzes/<int:quiz_id>/slots/<int:slot_id>/remove", methods=["POST"])
@roles_required(*EDITORS)
def remove_quiz_slot(quiz_id, slot_id):
    quiz = quiz_or_404(quiz_id, published=False)
    try:
        quizzes.remove_slot(current_user, quiz, _slot_or_404(quiz, slot_id))
    except DomainError as error:
        db.session.rollback()
        refuse(error)
    return _back(quiz)


@bp.route("/quizzes/<int:quiz_id>/slots/<int:slot_id>/move", methods=["POST"])
@roles_required(*EDITORS)
def move_quiz_slot(quiz_id, slot_id):
    quiz = quiz_or_404(quiz_id, published=False)
    offset = -1 if request.form.get("direction") == "up" else 1
    try:
        quizzes.move_slot(current_user, quiz, _slot_or_404(quiz, slot_id), offset)
    except DomainError as error:
        db.session.rollback()
        refuse(error)
    return _back(quiz)


@bp.route("/quizzes/<int:quiz_id>/competences", methods=["GET", "POST"])
@roles_required(*EDITORS)
def quiz_competences(quiz_id):
    """The competences a pass proves, at which level, per framework version."""
    from app.courses.mapping_views import levels_from_form, published_framework

    quiz = quiz_or_404(quiz_id, published=False)
    framework, frameworks = published_framework()
    rows = competence_choices(framework) if framework else []
    problems = []
    if request.method == "POST" and framework is not None:
        by_id = {c.id: c for c in rows}
        levels = levels_from_form("c-")
        problems = [
            (str(cid), _("Unknown competence.") if cid > 0 else _("A level is not a number."))
            for cid in levels
            if cid not in by_id
        ]
        try:
            if problems:
                raise DomainError(_("Nothing was saved."), problems=problems)
            quizzes.set_competences(
                current_user, quiz, {by_id[cid]: level for cid, level in levels.items()}
            )
        except DomainError as error:
            db.session.rollback()
            refuse(error)
            problems = error.problems or problems
        else:
            flash(_("The competences have been saved."), "success")
            return redirect(url_for("assessments.edit_quiz", quiz_id=quiz.id))
    return render_template(
        "assessments/quiz_competences.html",
        quiz=quiz,
        framework=framework,
        frameworks=frameworks,
        rows=rows,
        current={row.competence_id: row.level for row in quiz.competences},
        problems=problems,
    )


@bp.route("/quizzes/<int:quiz_id>/publish", methods=["POST"])
@roles_required(*EDITORS)
def publish_quiz(quiz_id):
    quiz = quiz_or_404(quiz_id, published=False)
    try:
        quizzes.publish(current_user, quiz)
    except DomainError as error:
        refuse(error)
    else:
        flash(_("%(title)s is published.", title=quiz.title), "success")
    return redirect(url_for("assessments.edit_quiz", quiz_id=quiz.id))
