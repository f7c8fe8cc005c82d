from tests.conftest import login


def test_learner_logs_in_and_lands_on_dashboard(client, users):
    response = login(client, users["learner"].email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert users["learner"].name in page.get_data(as_text=True)
