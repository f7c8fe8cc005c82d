"""Recertification reminders: `flask courses reminders` queues once per key and sends one
e-mail per person (log or SMTP); the outbox as the person's in-app notifications."""

import json
import logging
import socket
from datetime import date, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app.courses import outbox
from app.courses.models import Course, Enrolment, OutboxMessage
from tests.conftest import csrf_token
from tests.web.test_admin import count_queries

TODAY = date(2026, 11, 23)


def course(db, title, status="published", validity_months=12):
    record = Course(
        title=title, status=status, mandatory=True, validity_months=validity_months, hours=1
    )
    db.session.add(record)
    db.session.flush()
    return record


def enrol(db, user, course, due_on=None, expires_on=None):
    record = Enrolment(
        user_id=user.id,
        course_id=course.id,
        due_on=due_on,
        completed_at=datetime(2025, 12, 1, 9, 0) if expires_on else None,
        expires_on=expires_on,
    )
    db.session.add(record)
    db.session.commit()
    return record


def message(db, user, key, subject, read=False):
    record = OutboxMessage(
        key=key,
        user_id=user.id,
        kind="overdue",
        subject=subject,
        body=f"{subject}: body",
        link="/courses/1",
        read_at=datetime(2026, 11, 1) if read else None,
    )
    db.session.add(record)
    db.session.commit()
    return record


@pytest.fixture()
def due(db, users, factory):
    """The learner (English) has a completion expiring in ten days and an overdue course;
    a colleague (German) one overdue course; nobody else anything to be reminded of."""
    learner = users["learner"]
    learner.locale = "en"
    colleague = factory.user(name="Karla Kollegin", email="karla@firma.example", locale="de")
    privacy = course(db, "Datenschutz")
    security = course(db, "IT-Sicherheit")
    draft = course(db, "Entwurf", status="draft")
    enrol(db, learner, privacy, expires_on=TODAY + timedelta(days=10))
    enrol(db, learner, security, due_on=TODAY - timedelta(days=3))
    enrol(db, learner, draft, due_on=TODAY - timedelta(days=3))  # unpublished: no reminder
    enrol(db, colleague, security, due_on=TODAY - timedelta(days=1))
    enrol(db, users["trainer"], privacy, due_on=TODAY + timedelta(days=1))  # not yet due
    return {"learner": learner, "colleague": colleague, "privacy": privacy, "security": security}


def run(app, day=TODAY):
    result = app.test_cli_runner().invoke(args=["courses", "reminders", "--today", day.isoformat()])
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


def outbox_rows(db):
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.key)).all()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses listed recipients."""

    def __init__(self, refuse=()):
        self.mails = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.mails.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default_policy))
        )
        return "250 Message accepted"


@pytest.fixture()
def smtp_server(app, monkeypatch):
    def start(refuse=()):
        inbox = Inbox(refuse)
        port = free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        started.append(controller)
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_FROM", "medienpass@firma.example")
        return inbox

    started = []
    yield start
    for controller in started:
        controller.stop()


def test_second_run_on_the_same_day_queues_and_sends_nothing(app, db, due, caplog):
    caplog.set_level(logging.INFO, logger="app.courses.mail")
    result, counts = run(app)
    assert result.exit_code == 0, result.stderr
    assert counts == {"queued": 3, "sent": 3, "people": 2}
    assert [row.key.split(":")[0] for row in outbox_rows(db)] == ["expiring", "overdue", "overdue"]
    assert all(row.sent_at is not None for row in outbox_rows(db))
    logged = [r.getMessage() for r in caplog.records if r.name == "app.courses.mail"]
    assert len(logged) == 2  # no MAIL_SERVER: the log sender, one e-mail per person
    assert any("learner@firma.example" in text and "2 new messages" in text for text in logged)

    caplog.clear()
    again, counts = run(app)
    assert again.exit_code == 0, again.stderr
    assert counts == {"queued": 0, "sent": 0, "people": 0}
    assert len(outbox_rows(db)) == 3
    assert not [r for r in caplog.records if r.name == "app.courses.mail"]
    # A week later only the trainer's course is newly overdue; the rest was said already.
    assert run(app, TODAY + timedelta(days=7))[1] == {"queued": 1, "sent": 1, "people": 1}


def test_a_completion_of_a_later_round_gets_its_own_reminder(app, db, due):
    run(app)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.course_id == due["privacy"].id))
    enrolment.expires_on = TODAY + timedelta(days=375)  # repeated: counts another year
    db.session.commit()
    assert run(app, TODAY + timedelta(days=350))[0].exit_code == 0
    keys = [row.key for row in outbox_rows(db) if row.kind == "expiring"]
    assert keys == [
        f"expiring:{enrolment.id}:{(TODAY + timedelta(days=10)).isoformat()}",
        f"expiring:{enrolment.id}:{(TODAY + timedelta(days=375)).isoformat()}",
    ]


def test_messages_are_written_in_the_persons_language(app, db, due):
    run(app)
    english, german = (
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.user_id == person.id)
            .order_by(OutboxMessage.key)
        ).first()
        for person in (due["learner"], due["colleague"])
    )
    assert english.subject == "Your course “Datenschutz” expires on 3 Dec 2026"
    assert english.link == f"/courses/{due['privacy'].id}"
    assert "22.11.2026" in german.body  # the German date, whatever the catalogue holds yet
    assert "IT-Sicherheit" in german.subject


def test_smtp_sends_one_mail_per_person_with_every_new_message(app, db, due, smtp_server):
    inbox = smtp_server()
    result, counts = run(app)
    assert result.exit_code == 0, result.stderr
    assert counts == {"queued": 3, "sent": 3, "people": 2}
    by_recipient = {tuple(rcpt): mail for rcpt, mail in inbox.mails}
    assert set(by_recipient) == {("learner@firma.example",), ("karla@firma.example",)}

    mail = by_recipient[("learner@firma.example",)]
    assert mail["To"].addresses[0].addr_spec == "learner@firma.example"
    assert mail["From"] == "medienpass@firma.example"
    assert mail["Subject"] == "Medienpass: 2 new messages"
    body = mail.get_content()
    assert "Your course “Datenschutz” expires on 3 Dec 2026" in body
    assert "The course “IT-Sicherheit” has been due since 20 Nov 2026" in body
    base = app.config["BASE_URL"].rstrip("/")
    assert f"{base}/courses/{due['privacy'].id}" in body
    assert f"{base}/courses/notifications" in body

    single = by_recipient[("karla@firma.example",)]
    assert "IT-Sicherheit" in single["Subject"] and "22.11.2026" in single.get_content()

    assert run(app)[1] == {"queued": 0, "sent": 0, "people": 0}
    assert len(inbox.mails) == 2


def test_a_refused_mail_stays_queued_and_the_others_go_out(app, db, due, smtp_server):
    inbox = smtp_server(refuse={"karla@firma.example"})
    result, counts = run(app)
    assert result.exit_code == 1
    assert "1 message(s) could not be sent" in result.stderr
    assert counts == {"queued": 3, "sent": 2, "people": 1}
    unsent = [row.user_id for row in outbox_rows(db) if row.sent_at is None]
    assert unsent == [due["colleague"].id]

    inbox.refuse.clear()
    assert run(app)[1] == {"queued": 0, "sent": 1, "people": 1}
    assert len(inbox.mails) == 2


def test_without_a_reachable_mail_server_everything_stays_queued(app, db, due, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there
    result, counts = run(app)
    assert result.exit_code == 1
    assert counts == {"queued": 3, "sent": 0, "people": 0}
    assert all(row.sent_at is None for row in outbox_rows(db))


def test_a_parallel_run_that_queued_first_wins_without_an_error(app, db, due, monkeypatch):
    run(app)
    db.session.execute(OutboxMessage.__table__.update().values(sent_at=None))
    db.session.commit()
    # As if another run inserted the keys between this run's check and its insert.
    monkeypatch.setattr(outbox, "_known_keys", lambda keys: set())
    with app.app_context():
        assert outbox.queue_reminders(TODAY) == {"due": 3, "queued": 0}
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3


def test_queueing_runs_a_fixed_number_of_queries(app, db, due, factory):
    with count_queries(db) as few:
        assert outbox.queue_reminders(TODAY)["queued"] == 3
    for number in range(6):
        enrol(db, factory.user(), course(db, f"Kurs {number}"), due_on=TODAY - timedelta(days=2))
    with count_queries(db) as many:
        assert outbox.queue_reminders(TODAY)["queued"] == 6
    assert len(many) == len(few)


def test_notifications_show_only_the_persons_own_newest_first(db, users, client_as):
    learner, trainer = users["learner"], users["trainer"]
    message(db, learner, "a", "Alte Nachricht", read=True)
    message(db, learner, "b", "Neue Nachricht")
    message(db, trainer, "c", "Nachricht an jemand anderen")
    page = client_as("learner").get("/courses/notifications").get_data(as_text=True)
    assert "Neue Nachricht" in page and "Alte Nachricht" in page
    assert page.index("Neue Nachricht") < page.index("Alte Nachricht")
    assert "jemand anderen" not in page
    assert page.count("unread") >= 1 and "Mark all as read" in page


def test_mark_all_read_touches_only_the_persons_own(db, users, client_as):
    learner, trainer = users["learner"], users["trainer"]
    own = message(db, learner, "a", "Eigene Nachricht")
    other = message(db, trainer, "b", "Fremde Nachricht")
    client = client_as("learner")
    assert ">1<span" in client.get("/courses/notifications").get_data(as_text=True)
    response = client.post("/courses/notifications/read", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses/notifications")
    db.session.refresh(own)
    db.session.refresh(other)
    assert own.read_at is not None and other.read_at is None
    page = client.get("/courses/notifications").get_data(as_text=True)
    assert "Mark all as read" not in page and ">1<span" not in page


def test_notifications_are_paginated(app, db, users, client_as, monkeypatch):
    monkeypatch.setitem(app.config, "NOTIFICATIONS_PER_PAGE", 2)
    for number in range(5):
        message(db, users["hr"], f"k{number}", f"Nachricht {number}")
    client = client_as("hr")
    first = client.get("/courses/notifications").get_data(as_text=True)
    last = client.get("/courses/notifications?page=3").get_data(as_text=True)
    assert "5 entries" in first
    assert "Nachricht 4" in first and "Nachricht 0" not in first
    assert "Nachricht 0" in last and "Nachricht 4" not in last
