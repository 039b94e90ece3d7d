"""Error pages in the site's look, in English and Welsh, each with a way back; the 500
page renders with no database and no Redis."""

import re

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error

from config.urls import urlpatterns as site_urls


def _denied(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("odd")


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("test-403/", _denied),
    path("test-400/", _bad),
    path("test-500/", _broken),
    *site_urls,
]


@pytest.fixture
def production_like(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def _has_the_sites_look_and_a_way_back(html: str) -> None:
    assert 'class="nd-header"' in html
    assert re.search(r'href="(/cy)?/">[^<]*(home page|hafan)', html), "no way back home"
    assert "govuk-footer" in html


@pytest.mark.django_db
def test_a_missing_page_is_a_404_in_the_sites_look(client, production_like):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "Not Found" not in html
    _has_the_sites_look_and_a_way_back(html)


@pytest.mark.django_db
def test_a_missing_page_is_in_welsh_under_cy(client, production_like):
    html = client.get("/cy/no-such-page/").content.decode()
    assert "Heb ddod o hyd i'r dudalen" in html
    assert 'lang="cy"' in html


@pytest.mark.django_db
def test_unpublished_results_are_a_404_in_the_sites_look(client, production_like):
    response = client.get("/envelopes/999999/results/")
    assert response.status_code == 404
    assert "Results appear only once the council has published them" in (response.content.decode())


@pytest.mark.django_db
def test_a_refusal_is_a_403_in_the_sites_look(client, production_like):
    response = client.get("/test-403/")
    assert response.status_code == 403
    _has_the_sites_look_and_a_way_back(response.content.decode())
    assert "You cannot see this page" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_request_is_a_400_in_the_sites_look(client, production_like):
    response = client.get("/test-400/")
    assert response.status_code == 400
    assert "Sorry, there is a problem with what was sent" in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_plain_page(production_like):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.test"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your form could not be sent" in html and "Nothing was saved" in html
    _has_the_sites_look_and_a_way_back(html)


@pytest.mark.django_db
def test_a_crash_is_a_500_in_the_sites_look(production_like):
    client = Client(raise_request_exception=False)
    response = client.get("/test-500/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    _has_the_sites_look_and_a_way_back(response.content.decode())


def test_the_500_page_needs_no_database_or_redis(settings):
    # No django_db mark: any query fails this test. Redis points at a closed port (the
    # page fragments' cache is in the process, not in Redis).
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with translation.override("cy"):
        response = server_error(RequestFactory().get("/cy/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Mae'n ddrwg gennym, mae problem gyda'r gwasanaeth" in html
    _has_the_sites_look_and_a_way_back(html)
