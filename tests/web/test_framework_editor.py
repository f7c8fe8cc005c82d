"""The draft editor beyond renaming: moving a competence to another parent, the scale editor."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.accounts.models import AuditEntry
from app.errors import DomainError
from app.frameworks import editing, evidence, scales, services
from app.frameworks.models import Competence, RequirementTarget, Scale
from tests.conftest import csrf_token
from tests.unit.test_framework_formats import ITEMS, LINKS, case_package


@pytest.fixture()
def draft(db):
    framework, _count, _warnings = services.import_framework(None, case_package(ITEMS, LINKS))
    return framework


def _tree(db, framework):
    """[(code, parent code, depth)] in tree order."""
    rows = db.session.scalars(
        select(Competence)
        .where(Competence.framework_id == framework.id)
        .order_by(Competence.position)
    ).all()
    return [(c.code, c.parent.code if c.parent else None, c.depth) for c in rows]


def _edit(client, competence, parent_id, **fields):
    data = {"code": competence.code, "title": competence.title, "parent_id": parent_id}
    data.update(fields, csrf_token=csrf_token(client))
    return client.post(f"/frameworks/competences/{competence.id}", data=data)


def test_moving_a_competence_takes_its_subtree_to_the_new_parent(db, draft, client_as):
    trainer = client_as("trainer")
    rows = {c.code: c for c in draft.competences}
    # 1 (with 1.1 and 1.2 below it) moves below 2: the whole branch goes one level down.
    assert _edit(trainer, rows["1"], rows["2"].id).status_code == 302
    assert _tree(db, draft) == [
        ("2", None, 0),
        ("1", "2", 1),
        ("1.1", "1", 2),
        ("1.2", "1", 2),
    ]
    # 1.2 goes to the top level, after 2.
    assert _edit(trainer, rows["1.2"], 0).status_code == 302
    assert _tree(db, draft) == [
        ("2", None, 0),
        ("1", "2", 1),
        ("1.1", "1", 2),
        ("1.2", None, 0),
    ]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "competence.update").order_by(AuditEntry.id)
    ).all()[-1]
    assert entry.details["before"]["parent"] == "1" and entry.details["after"]["parent"] == ""


def test_a_competence_cannot_move_below_itself_or_its_children(db, draft, client_as):
    trainer = client_as("trainer")
    rows = {c.code: c for c in draft.competences}
    before = _tree(db, draft)
    page = _edit(trainer, rows["1"], rows["1.1"].id)
    assert page.status_code == 200
    assert "Not a valid choice" in page.get_data(as_text=True)  # not even offered
    form = trainer.get(f"/frameworks/competences/{rows['1'].id}").get_data(as_text=True)
    assert f'value="{rows["1.1"].id}"' not in form and f'value="{rows["2"].id}"' in form
    with pytest.raises(DomainError, match="below itself"):
        editing.edit_competence(None, rows["1"], "1", "Suchen", "", parent=rows["1.2"])
    db.session.rollback()
    assert _tree(db, draft) == before


def test_an_edit_without_a_parent_leaves_the_competence_in_place(db, draft, client_as):
    trainer = client_as("trainer")
    rows = {c.code: c for c in draft.competences}
    before = _tree(db, draft)
    response = trainer.post(
        f"/frameworks/competences/{rows['1.1'].id}",
        data={"code": "1.1", "title": "Suchen und Filtern", "csrf_token": csrf_token(trainer)},
    )
    assert response.status_code == 302
    assert _tree(db, draft) == before


# ---- the scale editor


def _scale_form(client, framework, name, levels):
    data = {"name": name, "csrf_token": csrf_token(client)}
    for index, (old, level, level_en) in enumerate(levels):
        data[f"levels-{index}-old"] = "" if old is None else str(old)
        data[f"levels-{index}-title"] = level
        data[f"levels-{index}-title_en"] = level_en
    return client.post(f"/frameworks/{framework.id}/scale", data=data)


def test_scale_editor_renames_adds_and_keeps_the_shared_scale(db, draft, client_as):
    shared = draft.scale
    shared_names = [level.name for level in shared.levels]
    other, _count, _warnings = services.import_framework(None, case_package(ITEMS, LINKS))
    assert other.scale is shared  # both use the default scale
    trainer = client_as("trainer")
    page = trainer.get(f"/frameworks/{draft.id}/scale").get_data(as_text=True)
    assert 'value="Grundlagen"' in page and 'name="levels-4-title"' in page  # + one empty row
    response = _scale_form(
        trainer,
        draft,
        "Stufen der Muster GmbH",
        [
            (1, "Einstieg", "Entry"),
            (2, "Aufbau", "Intermediate"),
            (3, "Fortgeschritten", "Advanced"),
            (4, "Expertise", "Expert"),
            (None, "Multiplikator", "Multiplier"),
        ],
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert draft.scale.name == "Stufen der Muster GmbH"
    assert [(lv.position, lv.name) for lv in draft.scale.levels][0] == (1, "Einstieg")
    assert [lv.name_en for lv in draft.scale.levels][-1] == "Multiplier"
    assert len(draft.scale.levels) == 5
    # The other framework keeps the scale it had.
    assert [level.name for level in other.scale.levels] == shared_names
    assert db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "scale.update")
    )


def test_removing_a_level_moves_the_targets_above_it(db, draft, factory):
    role = factory.job_role()
    rows = {c.code: c for c in draft.competences}
    db.session.add_all(
        [
            RequirementTarget(job_role_id=role.id, competence=rows["1.1"], level=1),
            RequirementTarget(job_role_id=role.id, competence=rows["1.2"], level=4),
        ]
    )
    db.session.commit()
    scales.update_scale(
        None,
        draft,
        "Drei Stufen",
        [(1, "Grundlagen", ""), (2, "", ""), (3, "Fortgeschritten", ""), (4, "Expertise", "")],
    )
    levels = {t.competence.code: t.level for t in db.session.scalars(select(RequirementTarget))}
    assert levels == {"1.1": 1, "1.2": 3}  # "Expertise" is level 3 now
    assert [lv.name for lv in draft.scale.levels] == ["Grundlagen", "Fortgeschritten", "Expertise"]


def test_a_level_in_use_cannot_be_removed_and_nothing_changes(db, draft, factory, client_as):
    role = factory.job_role()
    rows = {c.code: c for c in draft.competences}
    db.session.add(RequirementTarget(job_role_id=role.id, competence=rows["1.1"], level=2))
    db.session.commit()
    scale_id = draft.scale_id
    trainer = client_as("trainer")
    page = _scale_form(
        trainer,
        draft,
        "Neu",
        [(1, "Grundlagen", ""), (2, "", ""), (3, "Fortgeschritten", ""), (4, "Expertise", "")],
    ).get_data(as_text=True)
    assert "Aufbau: 1 requirement targets or pieces of evidence use this level" in page
    db.session.expire_all()
    assert draft.scale_id == scale_id and len(draft.scale.levels) == 4


def test_evidence_keeps_its_level_so_levels_below_it_cannot_change(db, draft, factory):
    rows = {c.code: c for c in draft.competences}
    evidence.record_evidence(None, factory.user(), rows["1.1"], 3, "course", date.today())
    with pytest.raises(DomainError) as refused:
        scales.update_scale(
            None,
            draft,
            "X",
            [(1, "", ""), (2, "Aufbau", ""), (3, "Fortgeschritten", ""), (4, "Expertise", "")],
        )
    assert refused.value.problems[0][0] == "Fortgeschritten"
    db.session.rollback()


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([(1, "Nur eine", ""), (2, "", ""), (3, "", ""), (4, "", "")], "at least two levels"),
        ([(1, "Gleich", ""), (2, "gleich", ""), (3, "C", ""), (4, "D", "")], "used twice"),
        ([(1, "A", ""), (2, "B", ""), (3, "C", ""), (4, "D", ""), (None, "", "E")], "missing"),
        ([(1, "A", ""), (2, "B", ""), (9, "C", "")], "Unknown level"),
    ],
)
def test_bad_scales_are_refused_with_the_level_named(db, draft, client_as, levels, message):
    trainer = client_as("trainer")
    scales_before = db.session.scalar(select(func.count()).select_from(Scale))
    page = _scale_form(trainer, draft, "Neu", levels).get_data(as_text=True)
    assert message in page
    assert db.session.scalar(select(func.count()).select_from(Scale)) == scales_before


def test_a_published_scale_cannot_be_edited(db, draft, client_as):
    services.publish(None, draft)
    trainer = client_as("trainer")
    page = _scale_form(
        trainer, draft, "Neu", [(1, "A", ""), (2, "B", ""), (3, "C", ""), (4, "D", "")]
    ).get_data(as_text=True)
    assert "cannot be changed" in page
    db.session.expire_all()
    assert [lv.name for lv in draft.scale.levels][0] == "Grundlagen"
