"""Editing questions of a bank (trainer): check a question per kind, write it with its
category and the competences it tests, delete questions nobody has used yet."""

import math

from flask_babel import gettext as _
from sqlalchemy import exists, select

from app.accounts import audit
from app.assessments.models import (
    QUESTION_KINDS,
    AttemptAnswer,
    QuestionCompetence,
    QuizSlot,
)
from app.assessments.models import Question as QuestionRow
from app.assessments.services import _category
from app.errors import DomainError
from app.extensions import db
from app.frameworks.models import Competence

TITLE_MAX = 300
CHOICE_KINDS = ("single_choice", "multiple_choice")
# The fields of an answer row a person types into; a row with none of them is dropped.
ROW_FIELDS = ("text", "match", "weight", "feedback", "value", "tolerance", "low", "high")


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value):
    """A float from a number or a typed text ("3,5" as 3.5); None when blank.
    Raises ValueError for anything else."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    number = float(value.strip().replace(",", ".")) if isinstance(value, str) else float(value)
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def _text(value):
    return (value or "").strip()


class _Problems(list):
    """[(where, message)] gathered while checking, so that one answer names them all."""

    def add(self, where, message):
        self.append((where, message))


def _check_rows(kind, rows, problems):
    """The answers of a question as dicts of Answer fields, empty rows dropped."""
    answers = []
    for number, row in enumerate(rows, start=1):
        if all(_blank(row.get(name)) for name in ROW_FIELDS):
            continue
        where = f"answers-{number - 1}"
        # A numeric answer `*` stands for any other number (Moodle's catch-all), mostly
        # for its feedback; worth nothing unless a weight says otherwise.
        any_other = kind == "numeric" and _text(row.get("value")) == "*"
        try:
            weight, value, tolerance, low, high = (
                None if any_other and name == "value" else _number(row.get(name))
                for name in ("weight", "value", "tolerance", "low", "high")
            )
        except ValueError:
            problems.add(where, _("Answer %(n)d: weights and values must be numbers.", n=number))
            continue
        answer = {
            "text": _text(row.get("text")),
            "weight": weight
            if weight is not None
            else (0.0 if kind in CHOICE_KINDS or any_other else 100.0),
            "feedback": _text(row.get("feedback")),
            "match": _text(row.get("match")),
            "value": None,
            "tolerance": 0.0,
            "low": None,
            "high": None,
        }
        low_weight = -100 if kind in CHOICE_KINDS else 0
        if not low_weight <= answer["weight"] <= 100:
            problems.add(
                where,
                _(
                    "Answer %(n)d: the weight must lie between %(low)d and 100 %%.",
                    n=number,
                    low=low_weight,
                ),
            )
        if kind in CHOICE_KINDS + ("short_text",) and not answer["text"]:
            problems.add(where, _("Answer %(n)d: the answer text is missing.", n=number))
        elif kind == "numeric":
            if any_other:
                answer["text"] = "*"
            elif value is not None and low is None and high is None:
                if tolerance is not None and tolerance < 0:
                    problems.add(
                        where, _("Answer %(n)d: the tolerance cannot be negative.", n=number)
                    )
                answer["value"], answer["tolerance"] = value, tolerance or 0.0
            elif value is None and low is not None and high is not None:
                if low > high:
                    problems.add(
                        where, _("Answer %(n)d: the range must run from low to high.", n=number)
                    )
                answer["low"], answer["high"] = low, high
            else:
                problems.add(
                    where,
                    _(
                        "Answer %(n)d: give a number with its tolerance, or a range from "
                        "low to high.",
                        n=number,
                    ),
                )
        elif kind == "matching" and not answer["text"] and answer["match"]:
            pass  # a distractor: offered on the right, matched by nothing
        elif kind == "matching" and not (answer["text"] and answer["match"]):
            problems.add(where, _("Answer %(n)d: a pair needs both sides.", n=number))
        answers.append(answer)
    return answers


def _check_answers(kind, answers, problems):
    """The rules of the kind for the answers as a whole."""
    weights = [answer["weight"] for answer in answers]
    if kind in CHOICE_KINDS and len(answers) < 2:
        problems.add("answers", _("A choice question needs at least two answers."))
    elif kind == "single_choice" and 100 not in weights:
        problems.add("answers", _("One answer must be worth 100 %."))
    elif kind == "multiple_choice" and abs(sum(w for w in weights if w > 0) - 100) > 0.01:
        problems.add("answers", _("The positive weights must add up to 100 %."))
    elif kind == "short_text" and not any(w > 0 for w in weights):
        problems.add("answers", _("Give at least one accepted answer."))
    elif kind == "numeric" and not answers:
        problems.add("answers", _("Give at least one right number."))
    elif kind == "matching" and sum(1 for a in answers if a["text"] and a["match"]) < 2:
        problems.add("answers", _("A matching question needs at least two pairs."))


def _competences(ids, problems):
    ids = sorted(set(ids or ()))
    found = db.session.scalars(
        select(Competence).where(Competence.id.in_(ids), Competence.depth == 1)
    ).all()
    if len(found) != len(ids):
        problems.add("competences", _("Please choose competences of the framework."))
    return ids


def check_question(data):
    """The checked fields of a question from `data`, or a DomainError naming every problem."""
    problems = _Problems()
    kind = data.get("kind")
    title, text = _text(data.get("title")), _text(data.get("text"))
    if kind not in QUESTION_KINDS:
        problems.add("kind", _("Please choose a known question type."))
    if len(title) > TITLE_MAX:
        problems.add("title", _("The title is longer than 300 characters."))
    if not text:
        problems.add("text", _("The question text is missing."))
    answers = []
    if kind in QUESTION_KINDS and kind not in ("true_false", "essay"):
        answers = _check_rows(kind, data.get("answers") or [], problems)
        _check_answers(kind, answers, problems)
    correct = data.get("correct") if kind == "true_false" else None
    if kind == "true_false" and correct not in (True, False):
        problems.add("correct", _("Please say whether the statement is true or false."))
    competence_ids = _competences(data.get("competence_ids"), problems)
    if problems:
        where, message = problems[0]
        raise DomainError(message, where=where, problems=list(problems))
    return {
        "kind": kind,
        "category": data.get("category") or "",
        "title": title,
        "text": text,
        "general_feedback": _text(data.get("general_feedback")),
        "answers": answers,
        "correct": correct,
        "feedback_true": _text(data.get("feedback_true")) if kind == "true_false" else "",
        "feedback_false": _text(data.get("feedback_false")) if kind == "true_false" else "",
        "competence_ids": competence_ids,
    }


def save_question(actor, bank, question, data):
    """Create (question None) or change a question of the bank; everything is checked
    first, then written in one transaction."""
    if question is not None and question.category.bank_id != bank.id:
        raise DomainError(_("The question belongs to another bank."))
    checked = check_question(data)
    created = question is None
    category = _category(bank, checked["category"], {c.path: c for c in bank.categories})
    if created:
        # Written here: Markdown, sanitised when shown. Imported questions keep their format.
        question = QuestionRow(text_format="markdown", position=len(category.questions) + 1)
    elif question.kind != checked["kind"]:
        raise DomainError(_("The type of a question cannot change."), where="kind")
    question.category = category
    for name in (
        "kind",
        "title",
        "text",
        "general_feedback",
        "answers",
        "correct",
        "feedback_true",
        "feedback_false",
    ):
        setattr(question, name, checked[name])
    _set_competences(question, checked["competence_ids"])
    db.session.add(question)
    db.session.flush()
    audit.record(
        actor,
        "question.create" if created else "question.update",
        question,
        {"kind": question.kind, "bank": bank.id, "competences": checked["competence_ids"]},
    )
    db.session.commit()
    return question


def _set_competences(question, ids):
    wanted = set(ids)
    for row in list(question.competences):
        if row.competence_id not in wanted:
            question.competences.remove(row)
    present = {row.competence_id for row in question.competences}
    for competence_id in sorted(wanted - present):
        question.competences.append(QuestionCompetence(competence_id=competence_id))


def in_use(question):
    """Whether a quiz holds the question or someone has answered it."""
    return db.session.scalar(
        select(
            exists().where(QuizSlot.question_id == question.id)
            | exists().where(AttemptAnswer.question_id == question.id)
        )
    )


def delete_question(actor, question):
    """Delete a question no quiz holds and nobody has answered: attempts keep theirs."""
    if in_use(question):
        raise DomainError(
            _("The question is used in a quiz or has been answered; it cannot be deleted.")
        )
    bank = question.category.bank
    audit.record(actor, "question.delete", question, {"kind": question.kind, "bank": bank.id})
    db.session.delete(question)
    db.session.commit()
    return bank
