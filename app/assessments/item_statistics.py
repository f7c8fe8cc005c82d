"""Item statistics of a quiz (service): its finished attempts' answers, read from the
database and handed to the pure computation in statistics.py."""

from sqlalchemy import select

from app.assessments.models import Attempt, AttemptAnswer, Question
from app.assessments.statistics import ItemResult, item_statistics
from app.extensions import db


def quiz_statistics(quiz):
    """Item statistics over the quiz's finished attempts, with the questions (2 queries)."""
    rows = db.session.execute(
        select(AttemptAnswer, Attempt.layout)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(Attempt.quiz_id == quiz.id, Attempt.state == "finished")
        .order_by(AttemptAnswer.slot)
    ).all()
    results = []
    for answer, layout in rows:
        mark = next((e["mark"] for e in layout if e["slot"] == answer.slot), 1.0)
        response = answer.response
        if isinstance(response, int) and not isinstance(response, bool):
            chosen = (response,)
        elif isinstance(response, list):
            chosen = tuple(r for r in response if isinstance(r, int))
        else:
            chosen = ()
        results.append(
            ItemResult(answer.attempt_id, answer.question_id, answer.fraction or 0.0, mark, chosen)
        )
    questions = {
        q.id: q
        for q in db.session.scalars(
            select(Question).where(Question.id.in_({r.question_id for r in results}))
        )
    }
    attempts_count = len({r.attempt_id for r in results})
    return attempts_count, [(s, questions[s.question_id]) for s in item_statistics(results)]


def people_count(quiz):
    """How many people the quiz's finished attempts come from (one query)."""
    from sqlalchemy import func

    return db.session.scalar(
        select(func.count(Attempt.user_id.distinct())).where(
            Attempt.quiz_id == quiz.id, Attempt.state == "finished"
        )
    )
