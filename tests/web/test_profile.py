"""Mein Kompetenzprofil: required against held levels, evidence behind them, own data only."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.errors import DomainError
from app.frameworks import profiles, services
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
    profiles.record_evidence(
        users["trainer"],
        learner,
        _competence(db, kmk, "4.2"),
        3,
        "rating",
        date.today(),
        justification="Datenschutz-Fallbeispiel gelöst",
    )
    profiles.record_evidence(
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
        profiles.record_evidence(None, users["learner"], competence, 5, "course", date.today())
    with pytest.raises(DomainError, match="justification"):
        profiles.record_evidence(
            users["trainer"], users["learner"], competence, 2, "rating", date.today()
        )


def test_evidence_on_an_older_version_counts_by_code(db, kmk, users):
    learner = users["learner"]
    profiles.record_evidence(None, learner, _competence(db, kmk, "5.1"), 2, "quiz", date.today())
    newer, _count, _w = services.import_framework(
        None, services.shipped.case_path("kmk-2016").read_bytes(), status="published"
    )
    assert newer.lineage == kmk.lineage and newer.version_number == 2
    rows = {row.competence.code: row for row in profiles.competence_profile(learner, newer).rows}
    assert rows["5.1"].held == 2


def test_a_learner_sees_only_their_own_evidence(db, kmk, client_as, users, factory):
    other = factory.user(name="Olga Andere")
    profiles.record_evidence(
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
        profiles.record_evidence(None, learner, _competence(db, kmk, code), 1, "quiz", date.today())
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
