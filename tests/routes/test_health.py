def test_health_reports_database_ok(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["X-Request-ID"]


def test_health_is_503_when_the_database_is_unreachable(make_app):
    offline = make_app(database_url="postgresql+psycopg://nobody@127.0.0.1:1/offline")
    response = offline.test_client().get("/api/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}
