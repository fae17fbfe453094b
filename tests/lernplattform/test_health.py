"""/healthz tells the state of the database and the broker as JSON: 200 when well, else 503."""

from lernplattform import health


def test_healthy_platform_answers_200_with_database_and_broker(client, db):
    response = client.get("/healthz")
    data = response.json()
    assert response.status_code == 200
    assert data["status"] == "ok"
    assert data["database"]["ok"] is True
    assert data["broker"]["ok"] is True


def test_unreachable_broker_answers_503(client, db, monkeypatch):
    monkeypatch.setattr(health, "broker_state", lambda: {"ok": False, "mode": "broker", "error": "OperationalError"})
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["error"] == "OperationalError"


def test_database_down_answers_503(client, db, monkeypatch):
    monkeypatch.setattr(health, "database_state", lambda: {"ok": False, "error": "OperationalError"})
    assert client.get("/healthz").status_code == 503


def test_health_check_ignores_the_host_name_and_https_redirect(client, db, settings):
    settings.ALLOWED_HOSTS = ["lernen.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="localhost:8000").status_code == 200


def test_real_broker_state_is_checked_when_not_eager(db, monkeypatch):
    from kombu import Connection

    from lernplattform.celery import app

    monkeypatch.setattr(app.conf, "task_always_eager", False)
    # Nothing listens on port 1: the broker is unreachable.
    monkeypatch.setattr(app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0"))
    state = health.broker_state()
    assert state["ok"] is False
    assert state["mode"] == "broker"


def test_health_check_does_not_reveal_the_debug_flag_or_settings(client, db, settings):
    """Issue 10 (low): /healthz showed "debug" to anyone who could reach it."""
    settings.DEBUG = True
    data = client.get("/healthz").json()
    assert set(data) == {"status", "database", "broker"}
    assert "debug" not in client.get("/healthz").content.decode().lower()
