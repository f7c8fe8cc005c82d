"""Mein Kompetenzprofil: required against held levels, evidence behind them, own data only."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.errors import DomainError
from app.frameworks import evidence, profiles, services
from app.frameworks.models import Competence, RequirementTarget


@pytest.fixture()
def kmk(db):
    services.load_shipped()
    return profiles.default_framework()


def _competence(db, framework, code):
    return db.session.scalar(
        select(Competence).where(Competence.framework_id == framework.id, Competence.code == code)
    )


def test_default_framework_is_the_shipped_kmk(kmk):
    assert kmk.title == "Kompetenzen in der digitalen Welt"


def test_profile_shows_targets_levels_gaps_and_chart(db, kmk, client_as, users):
    learner = users["learner"]
    db.session.add(
        RequirementTarget(
            job_role_id=learner.job_role_id, competence=_competence(db, kmk, "4.2"), level=3
        )
    )
    db.session.add(
        RequirementTarget(
            job_role_id=learner.job_role_id, competence=_competence(db, kmk, "1.1"), level=2
        )
    )
    db.session.commit()
    evidence.record_evidence(
        users["trainer"],
        learner,
        _competence(db, kmk, "4.2"),
        3,
        "rating",
        date.today(),
        justification="Datenschutz-Fallbeispiel gelöst",
    )
    evidence.record_evidence(
        None,
        learner,
        _competence(db, kmk, "1.1"),
        4,
        "course",
        date.today() - timedelta(days=800),
        expires_on=date.today() - timedelta(days=70),
    )
    profile = profiles.competence_profile(learner, kmk)
    rows = {row.competence.code: row for row in profile.rows}
    assert (rows["4.2"].target, rows["4.2"].held, rows["4.2"].missing) == (3, 3, 0)
    assert (rows["1.1"].target, rows["1.1"].held, rows["1.1"].missing) == (2, 0, 2)  # expired
    page = client_as("learner").get("/frameworks/profile").get_data(as_text=True)
    assert "<svg" in page and 'class="profile-chart"' in page
    assert "Rating by a trainer" in page and "Datenschutz" not in page  # justification stays
    assert '>1</div><div class="text-muted">gaps' in page.replace("\n", "")


def test_evidence_rules(db, kmk, users):
    competence = _competence(db, kmk, "2.4")
    with pytest.raises(DomainError, match="between 1 and 4"):
        evidence.record_evidence(None, users["learner"], competence, 5, "course", date.today())
    with pytest.raises(DomainError, match="justification"):
        evidence.record_evidence(
            users["trainer"], users["learner"], competence, 2, "rating", date.today()
        )


def test_evidence_on_an_older_version_counts_by_code(db, kmk, users):
    learner = users["learner"]
    evidence.record_evidence(None, learner, _competence(db, kmk, "5.1"), 2, "quiz", date.today())
    newer, _count, _w = services.import_framework(
        None, services.shipped.case_path("kmk-2016").read_bytes(), status="published"
    )
    assert newer.lineage == kmk.lineage and newer.version_number == 2
    rows = {row.competence.code: row for row in profiles.competence_profile(learner, newer).rows}
    assert rows["5.1"].held == 2


def test_a_learner_sees_only_their_own_evidence(db, kmk, client_as, users, factory):
    other = factory.user(name="Olga Andere")
    evidence.record_evidence(
        users["trainer"],
        other,
        _competence(db, kmk, "3.3"),
        2,
        "rating",
        date.today(),
        justification="nur für Olga",
    )
    page = client_as("learner").get("/frameworks/profile").get_data(as_text=True)
    assert "Rating by a trainer" not in page


def test_profile_page_runs_a_fixed_number_of_queries(db, kmk, client_as, users):
    from tests.web.test_admin import count_queries

    learner = users["learner"]
    client = client_as("learner")
    with count_queries(db) as few:
        client.get("/frameworks/profile")
    for code in ("1.1", "1.2", "2.1", "3.1", "4.1", "5.5", "6.2"):
        evidence.record_evidence(None, learner, _competence(db, kmk, code), 1, "quiz", date.today())
    with count_queries(db) as many:
        client.get("/frameworks/profile")
    assert len(many) == len(few)


def test_the_demo_seed_gives_every_learner_a_profile(db, app):
    from app.seed import seed_accounts, seed_profiles

    services.load_shipped()
    seed_accounts()
    db.session.commit()
    assert seed_profiles()
    db.session.commit()
    assert not seed_profiles()  # once
    from app.accounts.models import User

    lena = db.session.scalar(select(User).where(User.email == "learner@muster-gmbh.example"))
    profile = profiles.competence_profile(lena, profiles.default_framework())
    assert len(profile.required) == 8 and any(row.held for row in profile.rows)
    assert "DSGVO" in profiles.media_concept().goals


def _matrix_form(client, framework, cells):
    from tests.conftest import csrf_token

    data = {f"t-{role}-{competence}": str(level) for (role, competence), level in cells.items()}
    return client.post(
        f"/frameworks/{framework.id}/requirements", data={**data, "csrf_token": csrf_token(client)}
    )


def test_trainer_sets_targets_in_the_matrix_audited(db, kmk, client_as, factory):
    from app.accounts.models import AuditEntry

    role = factory.job_role("Redaktion")
    c41, c42 = _competence(db, kmk, "4.1"), _competence(db, kmk, "4.2")
    trainer = client_as("trainer")
    assert "Redaktion" in trainer.get(f"/frameworks/{kmk.id}/requirements").get_data(as_text=True)
    response = _matrix_form(trainer, kmk, {(role.id, c41.id): 2, (role.id, c42.id): 3})
    assert response.status_code == 302
    targets = {
        t.competence.code: t.level
        for t in db.session.scalars(
            select(RequirementTarget).where(RequirementTarget.job_role_id == role.id)
        )
    }
    assert targets == {"4.1": 2, "4.2": 3}
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "requirements.update")
    ).one()
    assert entry.details["changes"] == {"4.1": [0, 2], "4.2": [0, 3]}
    _matrix_form(trainer, kmk, {(role.id, c41.id): 0})
    assert (
        db.session.scalars(
            select(RequirementTarget).where(RequirementTarget.job_role_id == role.id)
        )
        .all()[0]
        .competence.code
        == "4.2"
    )


def test_a_bad_cell_saves_nothing(db, kmk, client_as, factory):
    role = factory.job_role()
    c11, c12 = _competence(db, kmk, "1.1"), _competence(db, kmk, "1.2")
    page = _matrix_form(client_as("trainer"), kmk, {(role.id, c11.id): 2, (role.id, c12.id): 9})
    assert "Nothing was saved." in page.get_data(as_text=True)
    assert (
        db.session.scalars(
            select(RequirementTarget).where(RequirementTarget.job_role_id == role.id)
        ).all()
        == []
    )


def test_copy_a_profile_to_another_job_role(db, kmk, client_as, factory):
    from tests.conftest import csrf_token

    source, target = factory.job_role("Vorlage"), factory.job_role("Ziel")
    trainer = client_as("trainer")
    _matrix_form(trainer, kmk, {(source.id, _competence(db, kmk, "2.4").id): 3})
    trainer.post(
        f"/frameworks/{kmk.id}/requirements/copy",
        data={"from": source.id, "to": target.id, "csrf_token": csrf_token(trainer)},
    )
    copied = db.session.scalars(
        select(RequirementTarget).where(RequirementTarget.job_role_id == target.id)
    ).all()
    assert [(t.competence.code, t.level) for t in copied] == [("2.4", 3)]


def _evidence_form(client, **fields):
    from tests.conftest import csrf_token

    return client.post(
        "/frameworks/evidence/new", data={**fields, "csrf_token": csrf_token(client)}
    )


def test_trainer_rates_a_person_with_justification_audited(db, kmk, client_as, users):
    from app.accounts.models import AuditEntry
    from app.frameworks.models import Evidence

    competence = _competence(db, kmk, "3.3")
    trainer = client_as("trainer")
    fields = {
        "email": users["learner"].email,
        "competence_id": competence.id,
        "level": 2,
        "source": "rating",
        "issued_on": "2026-11-20",
    }
    refused = _evidence_form(trainer, **fields)
    assert "A rating needs a justification." in refused.get_data(as_text=True)
    assert db.session.scalars(select(Evidence)).all() == []
    done = _evidence_form(trainer, **fields, justification="Bildrechte im Workshop geprüft.")
    assert done.status_code == 302
    recorded = db.session.scalars(select(Evidence)).one()
    assert (recorded.level, recorded.source, recorded.issuer_id) == (
        2,
        "rating",
        users["trainer"].id,
    )
    assert db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "evidence.create")
    ).one().subject_id == str(users["learner"].id)


def test_hr_records_prior_learning_but_cannot_rate(db, kmk, client_as, users):
    competence = _competence(db, kmk, "4.2")
    hr = client_as("hr")
    fields = {
        "email": users["learner"].email,
        "competence_id": competence.id,
        "level": 3,
        "issued_on": "2026-11-20",
    }
    assert (
        _evidence_form(hr, **fields, source="rating", justification="x").status_code == 200
    )  # not a choice for HR
    assert _evidence_form(hr, **fields, source="prior_learning").status_code == 302


def test_unknown_person_is_named(db, kmk, client_as):
    page = _evidence_form(
        client_as("trainer"),
        email="niemand@firma.example",
        competence_id=_competence(db, kmk, "1.1").id,
        level=1,
        source="rating",
        issued_on="2026-11-20",
        justification="x",
    )
    assert "no active person with this e-mail address" in page.get_data(as_text=True)


def test_media_concept_goals_are_sanitised_markdown_and_audited(db, kmk, client_as):
    from app.accounts.models import AuditEntry
    from tests.conftest import csrf_token

    trainer = client_as("trainer")
    goals = "## Ziel 2027\n\n- Alle Beschäftigten kennen die **DSGVO**\n\n<script>x()</script>"
    response = trainer.post(
        "/frameworks/medienkonzept", data={"goals": goals, "csrf_token": csrf_token(trainer)}
    )
    assert response.status_code == 302
    page = trainer.get("/frameworks/medienkonzept").get_data(as_text=True)
    assert "<h2>Ziel 2027</h2>" in page and "<strong>DSGVO</strong>" in page
    assert "<script>x()" not in page
    assert db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "medienkonzept.update")
    ).one()
    hr = client_as("hr")
    assert "<h2>Ziel 2027</h2>" in hr.get("/frameworks/medienkonzept").get_data(as_text=True)
    assert (
        hr.post(
            "/frameworks/medienkonzept", data={"goals": "x", "csrf_token": csrf_token(hr)}
        ).status_code
        == 403
    )


def test_media_concept_lists_the_profiles_per_job_role(db, kmk, client_as, users):
    db.session.add(
        RequirementTarget(
            job_role_id=users["learner"].job_role_id,
            competence=_competence(db, kmk, "4.2"),
            level=3,
        )
    )
    db.session.commit()
    summary = profiles.profile_summary(kmk)
    row = next(r for r in summary if r[0].id == users["learner"].job_role_id)
    assert row[1:] == (1, 1)
