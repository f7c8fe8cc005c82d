"""Every endpoint × every role: the status each may get. A new endpoint without a row fails."""

import pytest

from tests.conftest import csrf_token, login

ROLES = ("anonymous", "learner", "trainer", "hr", "admin")

# endpoint: (method, {role: status}); "*" is the default for roles not named.
LOGIN = 302  # anonymous people are sent to the login page
TABLE = {
    "static": ("GET", {"*": 200}),
    "main.index": ("GET", {"*": 302}),
    "main.healthz": ("GET", {"*": 200}),
    "main.set_language": ("POST", {"*": 302}),
    "main.learner_start": ("GET", {"anonymous": LOGIN, "learner": 200, "*": 403}),
    "main.trainer_start": ("GET", {"anonymous": LOGIN, "trainer": 200, "*": 403}),
    "main.hr_start": ("GET", {"anonymous": LOGIN, "hr": 200, "*": 403}),
    "main.admin_start": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "accounts.login": ("GET", {"anonymous": 200, "*": 302}),
    "accounts.logout": ("POST", {"*": 302}),
    "accounts.account": ("GET", {"anonymous": LOGIN, "*": 200}),
    "admin.users": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.user_new": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.user_edit": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.user_set_active": ("POST", {"anonymous": LOGIN, "admin": 302, "*": 403}),
    "admin.departments": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.department_edit": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.department_delete": ("POST", {"anonymous": LOGIN, "admin": 302, "*": 403}),
    "admin.job_roles": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.job_role_edit": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.job_role_delete": ("POST", {"anonymous": LOGIN, "admin": 302, "*": 403}),
    "admin.audit_log": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "admin.audit_export": ("GET", {"anonymous": LOGIN, "admin": 200, "*": 403}),
    "hr.import_users": ("GET", {"anonymous": LOGIN, "hr": 200, "admin": 200, "*": 403}),
}


def expected(endpoint, role):
    statuses = TABLE[endpoint][1]
    return statuses.get(role, statuses["*"])


def test_every_endpoint_has_a_row(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(TABLE) == set(), "endpoints without a row in the access table"
    assert set(TABLE) - endpoints == set(), "rows for endpoints that do not exist"


def _url(app, endpoint, target):
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    values = {}
    for argument in rule.arguments:
        values[argument] = {
            "user_id": target["user"].id,
            "record_id": target["department"].id
            if "department" in endpoint
            else target["job_role"].id,
            "filename": "css/app.css",
        }[argument]
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **values)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(TABLE))
def test_status_per_role(app, factory, users, endpoint, role):
    target = {
        "user": factory.user(roles=("learner",)),
        "department": factory.department(),
        "job_role": factory.job_role(),
    }
    client = app.test_client()
    if role != "anonymous":
        assert login(client, users[role].email).status_code == 302
    method, _statuses = TABLE[endpoint]
    url = _url(app, endpoint, target)
    if method == "GET":
        response = client.get(url)
    else:
        client.get("/login")  # any page puts a CSRF token into the session
        response = client.post(url, data={"csrf_token": csrf_token(client)})
    assert response.status_code == expected(endpoint, role), (endpoint, role, url)
    if (
        response.status_code == LOGIN
        and role == "anonymous"
        and endpoint
        not in (
            "main.index",
            "main.set_language",
            "accounts.logout",
        )
    ):
        assert response.headers["Location"].startswith("/login")
