"""After the load: what the load generator saw answered, checked against the database by SQL
queries. No attempt or pass may be lost or duplicated. Returns [(check, problem or "")]."""

import json
from collections import Counter

import sqlalchemy as sa

from config import database_uri


def check(url, plan, log):
    engine = sa.create_engine(database_uri(url))
    try:
        with engine.connect() as connection:
            return _attempts(connection, log) + _passes(connection, plan, log)
    finally:
        engine.dispose()


def _events(log, kind):
    return [event for event in log["events"] if event["kind"] == kind]


def _rows(connection, sql, **params):
    """Rows of `sql`; a tuple parameter is a list for IN."""
    statement = sa.text(sql).bindparams(
        *(sa.bindparam(name, expanding=True) for name, v in params.items() if isinstance(v, tuple))
    )
    return connection.execute(statement, params).all()


def _ids(values):
    return sorted(values) or [0]  # an empty IN () is not SQL


def _attempts(connection, log):
    started = {e["attempt"]: e["user"] for e in _events(log, "attempt_started")}
    submitted = {
        e["attempt"] for e in _events(log, "attempt_submitted") if 200 <= e["status"] < 400
    }
    learners = sorted(set(started.values())) or [""]
    rows = _rows(
        connection,
        "SELECT a.id, u.email, a.state, a.submitted_at IS NOT NULL, a.quiz_id, a.passed"
        " FROM attempts a JOIN users u ON u.id = a.user_id"
        " WHERE u.email IN :emails OR a.id IN :ids",
        emails=tuple(learners),
        ids=tuple(_ids(started)),
    )
    found = {row[0]: row for row in rows}
    lost = [a for a in submitted if a not in found or not found[a][3]]
    wrong_person = [a for a, user in started.items() if a in found and found[a][1] != user]
    unseen = [a for a, row in found.items() if row[3] and a not in started]
    ungraded = [a for a in submitted if a in found and found[a][2] == "in_progress"]

    graded = Counter()
    for (details,) in _rows(
        connection, "SELECT details FROM audit_entries WHERE action = 'quiz.submit'"
    ):
        details = json.loads(details) if isinstance(details, str) else details
        graded[details.get("attempt")] += 1
    twice = [a for a in found if graded[a] > 1]
    missing_grade = [a for a in submitted if graded[a] != 1]

    answers_twice = _rows(
        connection,
        "SELECT attempt_id, slot FROM attempt_answers WHERE attempt_id IN :ids"
        " GROUP BY attempt_id, slot HAVING count(*) > 1",
        ids=tuple(_ids(found)),
    )
    # A passed, finished attempt gives one piece of evidence per competence of its quiz.
    competences = dict(
        _rows(connection, "SELECT quiz_id, count(*) FROM quiz_competences GROUP BY quiz_id")
    )
    expected = sum(
        competences.get(row[4], 0) for row in found.values() if row[2] == "finished" and row[5]
    )
    evidence = _rows(
        connection,
        "SELECT count(*) FROM evidence e JOIN users u ON u.id = e.user_id"
        " WHERE e.source = 'quiz' AND u.email IN :emails",
        emails=tuple(learners),
    )[0][0]
    return [
        (
            f"attempts: {len(submitted)} submitted (2xx/3xx) of {len(started)} started, "
            "each in the database, submitted and graded",
            _problem(lost=lost, ungraded=ungraded, wrong_person=wrong_person),
        ),
        (
            "attempts: none in the database that the load generator did not start",
            _problem(unseen=unseen),
        ),
        (
            "attempts: graded exactly once (double submits change nothing), no answer twice",
            _problem(
                graded_twice=twice, not_graded_once=missing_grade, answers_twice=answers_twice
            ),
        ),
        (
            f"evidence: one per competence of each passed attempt ({expected} expected)",
            "" if evidence == expected else f"{evidence} in the database",
        ),
        ("attempts: at least one submitted", "" if submitted else "none"),
    ]


def _passes(connection, plan, log):
    started = {e["job"] for e in _events(log, "job_started")}
    ended = {e["job"]: e for e in _events(log, "job_ended")}
    department = plan["department"]
    people = _rows(
        connection,
        "SELECT count(*) FROM users WHERE department_id = :department AND active",
        department=department["id"],
    )[0][0]
    jobs = {
        row[0]: row
        for row in _rows(
            connection,
            "SELECT j.id, j.state, count(p.id), count(DISTINCT p.user_id), j.done, j.total,"
            " j.tries, j.error FROM jobs j LEFT JOIN passes p ON p.job_id = j.id"
            " WHERE j.kind = 'passes.bulk'"
            " GROUP BY j.id, j.state, j.done, j.total, j.tries, j.error",
        )
    }
    lost = [j for j in started if j not in jobs]
    unfinished = [
        j
        for j, e in ended.items()
        if e["state"] != "finished" or j in jobs and jobs[j][1] != "finished"
    ]
    # What the database says of them: job (state, done/total, tries, error).
    unfinished_shown = [
        f"{j} ({jobs[j][1]}, {jobs[j][4]}/{jobs[j][5]}, tries {jobs[j][6]}"
        + (f", {jobs[j][7][:200]!r}" if jobs[j][7] else "")
        + ")"
        if j in jobs
        else str(j)
        for j in unfinished
    ]
    wrong_count = [
        (j, jobs[j][2])
        for j, e in ended.items()
        if e["state"] == "finished" and j in jobs and jobs[j][2] != people
    ]
    duplicated = [j for j, row in jobs.items() if row[2] != row[3]]
    zip_mismatch = [
        (j, e["pdfs"], jobs[j][2])
        for j, e in ended.items()
        if e["pdfs"] is not None and j in jobs and e["pdfs"] != jobs[j][2]
    ]
    unseen = [j for j in jobs if j not in started]
    valid_twice = _rows(
        connection,
        "SELECT user_id, framework_lineage FROM passes WHERE status = 'valid'"
        " GROUP BY user_id, framework_lineage HAVING count(*) > 1",
    )
    finished = [j for j in ended if j in jobs and j not in unfinished]
    return [
        (
            f"bulk passes: {len(finished)} of {len(started)} jobs finished, each with one pass "
            f"per person of the department ({people}) and a ZIP holding them all",
            _problem(
                lost=lost,
                unfinished=unfinished_shown,
                wrong_count=wrong_count,
                zip_mismatch=zip_mismatch,
            ),
        ),
        (
            "passes: unique per job and person, at most one valid pass per person",
            _problem(duplicated=duplicated, valid_twice=valid_twice),
        ),
        ("bulk passes: no job the load generator did not start", _problem(unseen=unseen)),
    ]


def _problem(**found):
    """ "" when every list is empty, else what was found (the first few of each)."""
    parts = [
        f"{name.replace('_', ' ')}: {len(items)} ({', '.join(map(str, list(items)[:5]))})"
        for name, items in found.items()
        if items
    ]
    return "; ".join(parts)
