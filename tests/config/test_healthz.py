import pytest
from django.urls import reverse

from config.tasks import ping


@pytest.mark.celery_worker
def test_it_reports_healthy_when_database_redis_and_a_worker_answer(client, celery_worker):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "celery": "ok",
    }


@pytest.mark.django_db
def test_it_reports_503_when_no_worker_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["celery"] == "unreachable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_it_reports_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["redis"] == "unreachable"
    assert response.json()["celery"] == "unreachable"


def test_it_refuses_post(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.celery_worker
def test_a_task_runs_through_a_real_worker_on_redis(celery_worker):
    result = ping.delay()
    assert result.get(timeout=10) == "pong"
    assert result.successful() is True
