"""Admin pages: users, roles, departments, job roles; audited changes; fixed query counts."""

from contextlib import contextmanager

from sqlalchemy import event, func, select

from app.accounts.models import AuditEntry, Department, JobRole, User
from tests.conftest import csrf_token, login


def _post(client, url, data):
    return client.post(url, data={**data, "csrf_token": csrf_token(client)})


def _user_form(department, job_role, **overrides):
    data = {
        "name": "Clara Berg",
        "email": "clara.berg@firma.example",
        "department_id": str(department.id),
        "job_role_id": str(job_role.id),
        "roles": ["learner"],
        "password": "Clara-Passwort-1",
    }
    data.update(overrides)
    return data


def _audit(db, action):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()


def test_admin_creates_a_user_who_can_then_log_in(app, db, client_as, factory):
    admin = client_as("admin")
    department, job_role = factory.department(), factory.job_role()
    response = _post(admin, "/admin/users/new", _user_form(department, job_role))
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "clara.berg@firma.example"))
    assert user.roles == {"learner"} and user.department == department
    assert _audit(db, "user.create")[-1].subject_label == "clara.berg@firma.example"
    assert login(app.test_client(), user.email, "Clara-Passwort-1").status_code == 302


def test_create_user_refuses_bad_input_and_writes_nothing(db, client_as, factory, users):
    admin = client_as("admin")
    department, job_role = factory.department(), factory.job_role()
    count = db.session.scalar(select(func.count()).select_from(User))
    cases = {
        "is not a valid e-mail address": {"email": "kein-at-zeichen"},
        "exists": {"email": users["learner"].email},
        "at least one role": {"roles": []},
        "choose a department": {"department_id": ""},
        "at least 10 characters": {"password": "kurz"},
    }
    for message, override in cases.items():
        response = _post(admin, "/admin/users/new", _user_form(department, job_role, **override))
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), message
    assert db.session.scalar(select(func.count()).select_from(User)) == count


def test_role_changes_are_audited_with_before_and_after(db, client_as, factory):
    admin = client_as("admin")
    person = factory.user(roles=("learner",))
    form = _user_form(
        person.department,
        person.job_role,
        email=person.email,
        name=person.name,
        roles=["learner", "trainer"],
        password="",
    )
    assert _post(admin, f"/admin/users/{person.id}", form).status_code == 302
    assert db.session.get(User, person.id).roles == {"learner", "trainer"}
    entry = _audit(db, "user.roles_changed")[-1]
    assert entry.details == {"before": ["learner"], "after": ["learner", "trainer"]}
    assert entry.subject_id == str(person.id)


def test_user_changes_are_audited(db, client_as, factory):
    admin = client_as("admin")
    person = factory.user()
    other_department = factory.department("Marketing")
    form = _user_form(
        other_department, person.job_role, email=person.email, name="Neuer Name", password=""
    )
    _post(admin, f"/admin/users/{person.id}", form)
    details = _audit(db, "user.update")[-1].details
    assert details["name"][1] == "Neuer Name"
    assert details["department"][1] == "Marketing"


def test_deactivating_keeps_everything_of_the_person(db, client_as, factory):
    admin = client_as("admin")
    person = factory.user(roles=("learner", "trainer"))
    _post(admin, f"/admin/users/{person.id}/active", {"active": "0"})
    stored = db.session.get(User, person.id)
    assert stored.active is False
    assert stored.roles == {"learner", "trainer"} and stored.department is not None
    assert _audit(db, "user.deactivate")
    _post(admin, f"/admin/users/{person.id}/active", {"active": "1"})
    assert db.session.get(User, person.id).active is True


def test_admin_cannot_deactivate_or_demote_the_last_admin(db, client_as, users):
    admin = client_as("admin")
    me = users["admin"]
    response = _post(admin, f"/admin/users/{me.id}/active", {"active": "0"})
    assert db.session.get(User, me.id).active is True
    assert "own account" in admin.get(response.headers["Location"]).get_data(as_text=True)
    form = _user_form(
        me.department, me.job_role, email=me.email, name=me.name, roles=["learner"], password=""
    )
    page = _post(admin, f"/admin/users/{me.id}", form)
    assert "last active administrator" in page.get_data(as_text=True)
    assert db.session.get(User, me.id).roles == {"admin"}


def test_user_list_searches_and_paginates(app, db, client_as, factory):
    admin = client_as("admin")
    for number in range(30):
        factory.user(name=f"Zacharias {number:02d}")
    page = admin.get("/admin/users?q=zacharias").get_data(as_text=True)
    assert page.count("Zacharias ") == app.config["USERS_PER_PAGE"]
    assert "30 entries" in page
    second = admin.get("/admin/users?q=zacharias&page=2").get_data(as_text=True)
    assert second.count("Zacharias ") == 5
    assert "Zacharias 29" in second


def test_user_list_filters_by_role_and_status(db, client_as, factory):
    admin = client_as("admin")
    factory.user(name="Tina Trainerin", roles=("trainer",))
    inactive = factory.user(name="Ina Inaktiv")
    inactive.active = False
    db.session.commit()
    by_role = admin.get("/admin/users?role=trainer").get_data(as_text=True)
    assert "Tina Trainerin" in by_role and "Ina Inaktiv" not in by_role
    by_status = admin.get("/admin/users?status=inactive").get_data(as_text=True)
    assert "Ina Inaktiv" in by_status and "Tina Trainerin" not in by_status


@contextmanager
def count_queries(db):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def test_user_list_runs_a_fixed_number_of_queries(db, client_as, factory):
    admin = client_as("admin")
    for _ in range(3):
        factory.user()
    with count_queries(db) as few:
        assert admin.get("/admin/users").status_code == 200
    for _ in range(20):
        factory.user(roles=("learner", "trainer"))
    with count_queries(db) as many:
        assert admin.get("/admin/users").status_code == 200
    assert len(many) == len(few)


def test_departments_are_created_renamed_and_deleted(db, client_as):
    admin = client_as("admin")
    assert _post(admin, "/admin/departments", {"name": "Einkauf"}).status_code == 302
    record_id = db.session.scalar(select(Department.id).where(Department.name == "Einkauf"))
    duplicate = _post(admin, "/admin/departments", {"name": "einkauf"})
    assert "exists already" in duplicate.get_data(as_text=True)
    _post(admin, f"/admin/departments/{record_id}", {"name": "Einkauf & Logistik"})
    assert db.session.get(Department, record_id).name == "Einkauf & Logistik"
    _post(admin, f"/admin/departments/{record_id}/delete", {})
    assert db.session.get(Department, record_id) is None
    actions = [entry.action for entry in db.session.scalars(select(AuditEntry))]
    assert {"department.create", "department.update", "department.delete"} <= set(actions)


def test_a_department_with_members_is_not_deleted(db, client_as, factory):
    admin = client_as("admin")
    person = factory.user()
    response = _post(admin, f"/admin/departments/{person.department_id}/delete", {})
    assert db.session.get(Department, person.department_id) is not None
    assert "still has 1 member;" in admin.get(response.headers["Location"]).get_data(as_text=True)


def test_job_roles_carry_a_description(db, client_as):
    admin = client_as("admin")
    _post(admin, "/admin/job-roles", {"name": "Redaktion", "description": "Schreibt Texte."})
    record = db.session.scalar(select(JobRole).where(JobRole.name == "Redaktion"))
    assert record.description == "Schreibt Texte."
    assert "Schreibt Texte." in admin.get("/admin/job-roles").get_data(as_text=True)


def test_unknown_user_is_404(client_as):
    assert client_as("admin").get("/admin/users/999999").status_code == 404


def test_opening_a_persons_record_is_audited(db, client_as, factory, users):
    person = factory.user()
    client_as("admin").get(f"/admin/users/{person.id}")
    entry = _audit(db, "user.view")[-1]
    assert (entry.actor_id, entry.subject_id) == (users["admin"].id, str(person.id))
