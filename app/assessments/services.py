"""Question banks (service): import and export GIFT, categories, questions."""

from collections import Counter
from dataclasses import asdict

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts import audit
from app.assessments import gift
from app.assessments.models import QUESTION_KINDS, Question, QuestionBank, QuestionCategory
from app.assessments.questions import Answer
from app.assessments.questions import Question as QuestionData
from app.errors import DomainError
from app.extensions import db


def parse_gift(data):
    """The GIFT file read, or a DomainError whose problems name each line."""
    try:
        return gift.read_gift(data)
    except gift.GiftError as error:
        raise DomainError(
            _("The file is not valid GIFT: nothing was imported."),
            problems=[(line, message) for line, message in error.problems],
        ) from None


def get_bank(bank_id):
    return db.session.get(QuestionBank, bank_id)


def _bank_named(name):
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.name == name))
    if bank is None:
        bank = QuestionBank(name=name)
        db.session.add(bank)
        db.session.flush()
    return bank


def _category(bank, path, known):
    """The category of a path ("a/b/c"), created with its parents when missing."""
    path = "/".join(part.strip() for part in (path or "").split("/") if part.strip())
    if path in known:
        return known[path]
    parent = _category(bank, path.rpartition("/")[0], known) if "/" in path else None
    if path and parent is None:
        parent = _category(bank, "", known)
    category = QuestionCategory(
        bank=bank, parent=parent, name=path.rpartition("/")[2] or bank.name, path=path
    )
    db.session.add(category)
    known[path] = category
    return category


def import_gift(actor, bank_name, data):
    """Read the whole file first; then write bank, categories and questions in one
    transaction. Returns (bank, {kind: count}, skipped)."""
    name = (bank_name or "").strip()
    if not name:
        raise DomainError(_("The name of the bank is missing."), where="bank")
    if len(name) > 200:
        raise DomainError(_("The name of the bank is longer than 200 characters."), where="bank")
    parsed = parse_gift(data)
    bank = _bank_named(name)
    known = {c.path: c for c in bank.categories}
    counts = Counter()
    positions = Counter()
    for item in parsed.questions:
        category = _category(bank, item.category, known)
        positions[category.path] += 1
        db.session.add(
            Question(
                category=category,
                position=len(category.questions) + positions[category.path],
                kind=item.kind,
                title=item.title[:300],
                text=item.text,
                text_format=item.text_format,
                general_feedback=item.general_feedback,
                answers=[asdict(answer) for answer in item.answers],
                correct=item.correct,
                feedback_true=item.feedback_true,
                feedback_false=item.feedback_false,
            )
        )
        counts[item.kind] += 1
    audit.record(
        actor,
        "questions.import",
        bank,
        {"imported": len(parsed.questions), "skipped": len(parsed.skipped)},
    )
    db.session.commit()
    return bank, {kind: counts.get(kind, 0) for kind in QUESTION_KINDS}, len(parsed.skipped)


def as_data(question):
    return QuestionData(
        kind=question.kind,
        text=question.text,
        title=question.title,
        text_format=question.text_format,
        general_feedback=question.general_feedback,
        answers=[Answer(**answer) for answer in question.answers],
        correct=question.correct,
        feedback_true=question.feedback_true,
        feedback_false=question.feedback_false,
        category=question.category.path,
    )


def bank_questions(bank):
    """The bank's questions in the order they came in (two queries)."""
    return db.session.scalars(
        select(Question)
        .join(Question.category)
        .where(QuestionCategory.bank_id == bank.id)
        .options(selectinload(Question.category))
        .order_by(Question.id)  # the order they were imported or written in
    ).all()


def export_gift(bank):
    return gift.write_gift([as_data(question) for question in bank_questions(bank)])


def right_answer(question):
    """The right answer as a text for the review page."""
    from app.assessments import grading

    return grading.grade(as_data(question), None).right_answer


def banks_with_counts():
    """[(bank, number of questions)] by name, one query."""
    from sqlalchemy import func

    return db.session.execute(
        select(QuestionBank, func.count(Question.id))
        .outerjoin(QuestionCategory, QuestionCategory.bank_id == QuestionBank.id)
        .outerjoin(Question, Question.category_id == QuestionCategory.id)
        .group_by(QuestionBank.id)
        .order_by(QuestionBank.name)
    ).all()
