"""Publishing, new versions and comparing versions of a framework."""

import pytest
from sqlalchemy import select

from app.errors import DomainError
from app.frameworks import services
from app.frameworks.models import Competence, Framework
from tests.conftest import csrf_token
from tests.unit.test_framework_formats import ITEMS, LINKS, case_package


@pytest.fixture()
def draft(db):
    framework, _count, _warnings = services.import_framework(None, case_package(ITEMS, LINKS))
    return framework


def test_publishing_a_draft_retires_the_earlier_published_version(db, draft, client_as):
    trainer = client_as("trainer")
    trainer.post(f"/frameworks/{draft.id}/publish", data={"csrf_token": csrf_token(trainer)})
    assert db.session.get(Framework, draft.id).status == "published"
    response = trainer.post(
        f"/frameworks/{draft.id}/new-version", data={"csrf_token": csrf_token(trainer)}
    )
    second = db.session.scalars(
        select(Framework).where(Framework.lineage == draft.lineage, Framework.version_number == 2)
    ).one()
    assert response.headers["Location"] == f"/frameworks/{second.id}"
    assert second.status == "draft"
    codes = [
        c.code
        for c in db.session.scalars(
            select(Competence)
            .where(Competence.framework_id == second.id)
            .order_by(Competence.position)
        )
    ]
    assert codes == ["1", "1.1", "1.2", "2"]
    services.publish(None, second)
    assert db.session.get(Framework, draft.id).status == "retired"
    assert db.session.get(Framework, second.id).status == "published"


def test_only_drafts_are_published_and_only_one_draft_at_a_time(db, draft):
    services.publish(None, draft)
    with pytest.raises(DomainError, match="Only a draft"):
        services.publish(None, draft)
    services.new_version(None, draft)
    with pytest.raises(DomainError, match="already has a draft"):
        services.new_version(None, draft)


def test_compare_shows_what_changed(db, draft, client_as):
    services.publish(None, draft)
    second = services.new_version(None, draft)
    rows = {
        c.code: c
        for c in db.session.scalars(select(Competence).where(Competence.framework_id == second.id))
    }
    rows["1.1"].title = "Suchen, Filtern und Bewerten"
    db.session.delete(rows["1.2"])
    db.session.add(
        Competence(
            framework=second,
            parent=rows["2"],
            position=9,
            depth=1,
            identifier="neu-2-1",
            code="2.1",
            title="Interagieren",
        )
    )
    db.session.commit()
    page = client_as("trainer").get(f"/frameworks/{second.id}/compare").get_data(as_text=True)
    added = page.split('id="diff-added"')[1].split("</ul>")[0]
    removed = page.split('id="diff-removed"')[1].split("</ul>")[0]
    changed = page.split('id="diff-changed"')[1].split("</ul>")[0]
    assert "Interagieren" in added and "Auswerten" in removed
    assert "Suchen, Filtern und Bewerten" in changed and "before" in changed


def _codes(db, framework):
    return [
        c.code
        for c in db.session.scalars(
            select(Competence)
            .where(Competence.framework_id == framework.id)
            .order_by(Competence.position)
        )
    ]


def test_editing_a_draft_add_rename_move_delete(db, draft, client_as):
    from app.frameworks import editing

    trainer = client_as("trainer")
    rows = {c.code: c for c in draft.competences}
    trainer.post(
        f"/frameworks/{draft.id}/competences/new",
        data={
            "parent_id": rows["2"].id,
            "code": "2.1",
            "title": "Interagieren",
            "csrf_token": csrf_token(trainer),
        },
    )
    assert _codes(db, draft) == ["1", "1.1", "1.2", "2", "2.1"]
    trainer.post(
        f"/frameworks/competences/{rows['1.2'].id}/move",
        data={"direction": "up", "csrf_token": csrf_token(trainer)},
    )
    assert _codes(db, draft) == ["1", "1.2", "1.1", "2", "2.1"]
    trainer.post(
        f"/frameworks/competences/{rows['1.1'].id}",
        data={
            "code": "1.1",
            "title": "Suchen und Filtern",
            "description": "",
            "csrf_token": csrf_token(trainer),
        },
    )
    assert db.session.get(Competence, rows["1.1"].id).title == "Suchen und Filtern"
    duplicate = trainer.post(
        f"/frameworks/competences/{rows['1.1'].id}",
        data={"code": "1.2", "title": "X", "csrf_token": csrf_token(trainer)},
    )
    assert "is used already" in duplicate.get_data(as_text=True)
    trainer.post(
        f"/frameworks/competences/{rows['1.2'].id}/delete", data={"csrf_token": csrf_token(trainer)}
    )
    assert _codes(db, draft) == ["1", "1.1", "2", "2.1"]
    with pytest.raises(DomainError, match="below it"):
        editing.remove_competence(None, db.session.get(Competence, rows["1"].id))


def test_a_referenced_competence_is_retired_not_deleted(db, draft, factory):
    from app.frameworks import editing
    from app.frameworks.models import RequirementTarget

    rows = {c.code: c for c in draft.competences}
    db.session.add(
        RequirementTarget(job_role_id=factory.job_role().id, competence=rows["1.1"], level=2)
    )
    db.session.commit()
    assert editing.remove_competence(None, rows["1.1"]) == "retired"
    assert db.session.get(Competence, rows["1.1"].id).retired


def test_a_published_version_cannot_be_changed(db, draft, client_as):
    services.publish(None, draft)
    rows = {c.code: c for c in draft.competences}
    trainer = client_as("trainer")
    page = trainer.post(
        f"/frameworks/competences/{rows['1.1'].id}",
        data={"code": "1.1", "title": "Anders", "csrf_token": csrf_token(trainer)},
    )
    assert "cannot be changed" in page.get_data(as_text=True)
    assert db.session.get(Competence, rows["1.1"].id).title == "Suchen & Filtern"


def test_retire_a_published_framework(db, draft, client_as):
    trainer = client_as("trainer")
    with pytest.raises(DomainError, match="Only a published"):
        services.retire(None, draft)
    services.publish(None, draft)
    trainer.post(f"/frameworks/{draft.id}/retire", data={"csrf_token": csrf_token(trainer)})
    assert db.session.get(Framework, draft.id).status == "retired"
