"""Quiz pages: learners take quizzes (one question per page, answers saved as they go,
submit once, review); trainers build quizzes from a bank and grade essays.
Routes of the assessments blueprint."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from app.accounts import settings
from app.accounts.access import roles_required
from app.assessments import attempts, item_statistics, quizzes, services
from app.assessments.models import AttemptAnswer, Question
from app.assessments.views import EDITORS, bp
from app.council import approvals
from app.errors import DomainError, refuse
from app.extensions import db
from app.markup import render_markdown


def quiz_or_404(quiz_id, published=True):
    quiz = quizzes.get_quiz(quiz_id)
    if quiz is None or (published and quiz.status != "published"):
        abort(404)
    return quiz


@bp.route("/quizzes/<int:quiz_id>")
@roles_required("learner")
def quiz(quiz_id):
    quiz = quiz_or_404(quiz_id)
    mine = attempts.attempts_of(current_user, quiz)
    open_attempt = next((a for a in mine if a.state == "in_progress"), None)
    if open_attempt is not None and not attempts.touch(open_attempt):
        open_attempt = None
    left = None if not quiz.attempts_allowed else quiz.attempts_allowed - len(mine)
    return render_template(
        "assessments/quiz.html", quiz=quiz, attempts=mine, open_attempt=open_attempt, left=left
    )


@bp.route("/quizzes/<int:quiz_id>/start", methods=["POST"])
@roles_required("learner")
def start(quiz_id):
    quiz = quiz_or_404(quiz_id)
    try:
        attempt = attempts.start(current_user, quiz)
    except DomainError as error:
        refuse(error)
        return redirect(url_for("assessments.quiz", quiz_id=quiz.id))
    return redirect(url_for("assessments.attempt", attempt_id=attempt.id))


def _attempt_or_404(attempt_id):
    attempt = attempts.attempt_for(current_user, attempt_id)
    if attempt is None:
        abort(404)
    return attempt


def _response_from_form(question, form):
    """The response in the shape grading expects, from the form of one question."""
    kind = question.kind
    if kind == "single_choice":
        value = form.get("answer")
        return int(value) if value not in (None, "") and value.lstrip("-").isdigit() else None
    if kind == "multiple_choice":
        values = form.getlist("answer")
        if not all(v.isdigit() for v in values):
            return values  # refused by grading: not indexes
        return sorted({int(v) for v in values})
    if kind == "true_false":
        return {"true": True, "false": False}.get(form.get("answer"))
    if kind == "matching":
        return {
            index: form.get(f"pair-{index}") or None
            for index, answer in enumerate(question.answers)
            if answer.get("text")
        }
    return form.get("answer") or None


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@roles_required("learner")
def attempt(attempt_id):
    attempt = _attempt_or_404(attempt_id)
    if not attempts.touch(attempt):
        return redirect(url_for("assessments.review", attempt_id=attempt.id))
    count = len(attempt.layout)
    slot = min(max(request.values.get("q", 0, type=int), 0), count - 1)
    entry = attempt.layout[slot]
    question = db.session.get(Question, entry["question_id"])
    if request.method == "POST":
        try:
            attempts.save_answer(
                attempt, entry["slot"], _response_from_form(question, request.form)
            )
        except DomainError as error:
            refuse(error)
            return redirect(url_for("assessments.attempt", attempt_id=attempt.id, q=slot))
        if request.form.get("go") == "back":
            return redirect(url_for("assessments.attempt", attempt_id=attempt.id, q=slot - 1))
        if slot + 1 < count and request.form.get("go") != "summary":
            return redirect(url_for("assessments.attempt", attempt_id=attempt.id, q=slot + 1))
        return redirect(url_for("assessments.summary", attempt_id=attempt.id))
    saved = next((a.response for a in attempt.answers if a.slot == entry["slot"]), None)
    rights = sorted({a.get("match") for a in question.answers if a.get("match")})
    return render_template(
        "assessments/attempt.html",
        attempt=attempt,
        slot=slot,
        count=count,
        question=question,
        order=entry["order"],
        saved=saved,
        rights=rights,
        text=Markup(render_markdown(question.text)),  # noqa: S704 sanitised
    )


@bp.route("/attempts/<int:attempt_id>/summary")
@roles_required("learner")
def summary(attempt_id):
    attempt = _attempt_or_404(attempt_id)
    if not attempts.touch(attempt):
        return redirect(url_for("assessments.review", attempt_id=attempt.id))
    answered = {a.slot for a in attempt.answers if a.response not in (None, [], {}, "")}
    return render_template("assessments/summary.html", attempt=attempt, answered=answered)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@roles_required("learner")
def submit(attempt_id):
    attempt = _attempt_or_404(attempt_id)
    if attempts.submit(attempt):
        flash(_("Your attempt has been submitted."), "success")
    return redirect(url_for("assessments.review", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>/review")
@roles_required("learner")
def review(attempt_id):
    attempt = _attempt_or_404(attempt_id)
    if attempt.state == "in_progress" and attempts.touch(attempt):
        return redirect(url_for("assessments.attempt", attempt_id=attempt.id))
    shown = attempt.quiz.review
    questions = {
        q.id: q
        for q in db.session.scalars(
            select(Question).where(Question.id.in_([a.question_id for a in attempt.answers]))
        )
    }
    return render_template(
        "assessments/review.html",
        attempt=attempt,
        shown=shown,
        rows=[
            (a, questions[a.question_id], services.right_answer(questions[a.question_id]))
            for a in attempt.answers
        ],
    )


# ---- trainers


@bp.route("/grading", methods=["GET", "POST"])
@roles_required(*EDITORS)
def grading():
    """Essays waiting for a trainer: a score and a justification each."""
    if request.method == "POST":
        answer = db.session.get(AttemptAnswer, request.form.get("answer_id", type=int) or 0)
        if answer is None:
            abort(404)
        try:
            fraction = float(request.form.get("percent", "").replace(",", ".")) / 100
        except ValueError:
            fraction = -1
        try:
            attempts.grade_essay(
                current_user, answer, fraction, request.form.get("justification", "")
            )
        except DomainError as error:
            refuse(error)
        else:
            flash(_("The answer has been graded."), "success")
        return redirect(url_for("assessments.grading"))
    return render_template("assessments/grading.html", answers=attempts.waiting_for_grading())


@bp.route("/quizzes/<int:quiz_id>/statistics")
@roles_required(*EDITORS)
def statistics(quiz_id):
    quiz = quiz_or_404(quiz_id, published=False)
    count, rows = item_statistics.quiz_statistics(quiz)
    withheld = _statistics_withheld(quiz)
    return render_template(
        "assessments/statistics.html",
        quiz=quiz,
        count=count,
        rows=[] if withheld else rows,
        withheld=withheld,
        minimum=settings.report_min_group(),
    )


def _statistics_withheld(quiz):
    """In works-council mode, statistics over fewer people than the minimum group size are
    withheld: with one or two people they would show their answers."""
    return approvals.active() and approvals.withheld(item_statistics.people_count(quiz))


@bp.route("/quizzes/<int:quiz_id>/statistics.csv")
@roles_required(*EDITORS)
def statistics_csv(quiz_id):
    from app.tabular import csv_response

    quiz = quiz_or_404(quiz_id, published=False)
    _count, rows = item_statistics.quiz_statistics(quiz)
    if _statistics_withheld(quiz):
        rows = []
    header = ["question_id", "title", "kind", "attempts", "facility_percent", "discrimination"]
    lines = [
        [
            question.id,
            question.title or question.text[:60],
            question.kind,
            item.attempts,
            "" if item.facility is None else item.facility,
            "" if item.discrimination is None else item.discrimination,
        ]
        for item, question in rows
    ]
    return csv_response(f"quiz-{quiz.id}-statistics.csv", header, lines)
