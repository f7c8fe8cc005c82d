"""The audit log page: filters and CSV export, itself audited, safe for spreadsheets."""

import csv
import io
from datetime import datetime

from app.accounts import audit
from app.accounts.models import AuditEntry


def _entry(db, actor, action, when, label="x", details=None):
    entry = AuditEntry(
        actor_id=actor.id if actor else None,
        actor_label=actor.email if actor else "",
        action=action,
        subject_type="user",
        subject_id="1",
        subject_label=label,
        details=details or {},
        created_at=when,
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def test_record_describes_the_subject(db, users):
    entry = audit.record(users["admin"], "user.update", users["learner"], {"name": ["a", "b"]})
    db.session.commit()
    assert (entry.subject_type, entry.subject_id) == ("user", str(users["learner"].id))
    assert entry.subject_label == users["learner"].email
    assert entry.actor_label == users["admin"].email


def test_filters_by_actor_action_and_dates(db, client_as, users):
    _entry(db, users["hr"], "special.one", datetime(2026, 3, 1, 10), label="eins")
    _entry(db, users["trainer"], "special.two", datetime(2026, 3, 5, 10), label="zwei")
    _entry(db, users["hr"], "special.two", datetime(2026, 4, 1, 10), label="drei")
    admin = client_as("admin")

    def labels(query):
        page = admin.get("/admin/audit?" + query).get_data(as_text=True)
        return [name for name in ("eins", "zwei", "drei") if f"</span> {name}</td>" in page]

    assert labels(f"actor={users['hr'].email}") == ["eins", "drei"]
    assert labels("actor=TRAINER@") == ["zwei"]
    assert labels("actor=%25") == []  # a wildcard typed into the field is literal text
    assert labels("action=special.two") == ["zwei", "drei"]
    assert labels("date_from=2026-03-02&date_to=2026-03-31") == ["zwei"]
    assert labels("date_from=2026-03-01&date_to=2026-03-01") == ["eins"]


def test_csv_export_follows_the_filter_neutralises_formulas_and_is_audited(db, client_as, users):
    _entry(db, users["hr"], "special.csv", datetime(2026, 3, 1, 10), label="=HYPERLINK(1)")
    admin = client_as("admin")
    response = admin.get("/admin/audit.csv?action=special.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["time_utc", "actor", "action"]
    assert len(rows) == 2
    assert rows[1][2] == "special.csv"
    assert rows[1][5] == "'=HYPERLINK(1)"
    exported = db.session.query(AuditEntry).filter_by(action="audit.export").one()
    assert exported.details["rows"] == 1


def test_actions_are_shown_in_words(db, client_as, users):
    _entry(db, users["hr"], "user.roles_changed", datetime(2026, 3, 1, 10))
    page = client_as("admin").get("/admin/audit?action=user.roles_changed").get_data(as_text=True)
    assert "Roles changed" in page


def test_audit_page_runs_a_fixed_number_of_queries(db, client_as, users):
    from tests.web.test_admin import count_queries

    admin = client_as("admin")
    _entry(db, users["hr"], "x.one", datetime(2026, 3, 1, 10))
    with count_queries(db) as few:
        admin.get("/admin/audit")
    for number, role in enumerate(("hr", "trainer", "learner") * 10):
        _entry(db, users[role], f"x.{number}", datetime(2026, 3, 2, 10))
    with count_queries(db) as many:
        admin.get("/admin/audit")
    assert len(many) == len(few)


def test_unknown_query_arguments_do_not_break_the_list(client_as):
    admin = client_as("admin")
    for path in ("/admin/audit?endpoint=x&_external=1", "/admin/users?endpoint=x&_anchor=y"):
        assert admin.get(path).status_code == 200
