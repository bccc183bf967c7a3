"""core.unavailable: a database that goes away answers a branded 503, never a bare 500.

The outage is real: this process's Django runs on a throwaway PostgreSQL cluster of the test's
own (the ``database_on_cluster`` fixture), which the test stops, as a restart does, and starts
again. With the cluster stopped, any read of the database while the page is made would turn the
503 into a 500: the page is rendered without it. The next request after the cluster is back
succeeds, on a new connection. The fault under a real web server, during a burst of submissions,
is in applications/tests/test_database_restart.py. Other errors keep Django's 500 and 400 pages.
"""

import html
import logging

import pytest
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.test import Client

from applications.models import Application
from core.unavailable import DatabaseUnavailableMiddleware, bad_request, server_error
from missions.tests.factories import MissionFactory
from testing.postgres import Cluster
from volunteers.tests.factories import UserFactory, VolunteerFactory

APPLY = "/missions/DOWN1/apply/"
SECOND = {"use_profile_cv": "yes", "motivation": "Deuxième version.", "next": "save"}
# The session of a profile page opened again: the CV it kept from an earlier try is forgotten
# (volunteers.views.PENDING_CV), so the session is saved after the view, by its middleware.
PENDING_CV = "volunteers.pending_cv"
DROP_AT_SESSION_SAVE = """
CREATE FUNCTION test_drop_at_session_save() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
CREATE TRIGGER test_drop_at_session_save BEFORE %(event)s ON django_session
FOR EACH ROW EXECUTE FUNCTION test_drop_at_session_save();
"""
NO_DROP = """
DROP TRIGGER test_drop_at_session_save ON django_session;
DROP FUNCTION test_drop_at_session_save();
"""


@pytest.fixture
def candidate(database_on_cluster: Cluster, client: Client) -> Application:
    """A signed-in candidate whose draft says "Première version.", on the cluster."""
    MissionFactory(reference="DOWN1")
    volunteer = VolunteerFactory()
    client.force_login(volunteer.user)
    first = {**SECOND, "motivation": "Première version."}
    assert client.post(APPLY, first).status_code == 302  # saved; the connection is open
    return Application.objects.get(volunteer=volunteer)


def page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.services
@pytest.mark.real_clock
def test_a_draft_saved_while_the_database_is_down_gets_the_503_page_in_french(
    database_on_cluster, candidate, client, caplog
):
    database_on_cluster.stop()
    with caplog.at_level(logging.WARNING):
        response = client.post(APPLY, SECOND)

    assert (response.status_code, response["Retry-After"]) == (503, "60")
    assert "no-store" in response["Cache-Control"]
    text = page(response)
    assert '<html lang="fr">' in text
    assert "<title>Service momentanément indisponible · Volontiers</title>" in text
    assert (
        '<p role="alert">Le service est momentanément indisponible. Votre brouillon est'
        " conservé : rien de ce que vous aviez déjà enregistré n'est perdu. Réessayez dans une"
        " minute.</p>"
    ) in text
    assert f'<a href="{APPLY}">Retour au formulaire</a>' in text
    assert not any(leak in text for leak in ("Traceback", "psycopg", "OperationalError"))
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "django.request",
            "ERROR",
            f"Database unavailable (OperationalError): 503 for POST {APPLY}",
        )
    ]

    database_on_cluster.start()
    candidate.refresh_from_db()
    assert candidate.motivation == "Première version."  # the draft, as it was saved
    assert client.post(APPLY, SECOND).status_code == 302
    candidate.refresh_from_db()
    assert candidate.motivation == "Deuxième version."


@pytest.mark.services
@pytest.mark.real_clock
def test_a_page_under_en_while_the_database_is_down_gets_the_503_page_in_english(
    database_on_cluster, candidate, client
):
    database_on_cluster.stop()
    response = client.get(f"/en{APPLY}")

    assert (response.status_code, response["Retry-After"]) == (503, "60")
    text = page(response)
    assert '<html lang="en">' in text
    assert "<title>Service temporarily unavailable · Volontiers</title>" in text
    assert (
        '<p role="alert">The service is temporarily unavailable. Your draft has been kept:'
        " nothing you had already saved has been lost. Please try again in a minute.</p>"
    ) in text
    assert f'<a href="/en{APPLY}">Try again</a>' in text

    database_on_cluster.start()
    assert client.get(f"/en{APPLY}").status_code == 200


@pytest.mark.services
@pytest.mark.real_clock
def test_a_session_updated_after_the_view_on_a_dropped_connection_gets_the_503_page(
    database_on_cluster, candidate
):
    # Django hands what a middleware raises to its handlers (here SessionInterrupted, a 400,
    # over the OperationalError): without raise_request_exception, the test client shows the
    # page as a browser would.
    browser = Client(raise_request_exception=False)
    browser.force_login(candidate.volunteer.user)
    session = browser.session
    session[PENDING_CV] = "cv/pending/earlier.pdf"
    session.save()
    with database_on_cluster.connect() as db:
        db.execute(DROP_AT_SESSION_SAVE % {"event": "UPDATE"})  # PostgreSQL ends the session

    response = browser.get("/me/profile/")

    assert (response.status_code, response["Retry-After"]) == (503, "60")
    assert "<title>Service momentanément indisponible · Volontiers</title>" in page(response)
    with database_on_cluster.connect() as db:
        db.execute(NO_DROP)
    assert browser.get("/me/profile/").status_code == 200


@pytest.mark.services
@pytest.mark.real_clock
def test_a_session_created_after_the_view_on_a_dropped_connection_gets_the_503_page(
    database_on_cluster, broker
):
    # A login code asked for: the view writes the e-mail to the outbox, the new session (the
    # code's state) is written after it, by the session middleware. Redis is stopped, so no
    # send task naming a row of the throwaway database is queued (the sweep would send it).
    UserFactory(email="moussa@example.org")
    broker.stop()
    browser = Client(raise_request_exception=False)
    with database_on_cluster.connect() as db:
        db.execute(DROP_AT_SESSION_SAVE % {"event": "INSERT"})

    response = browser.post("/accounts/login/code/", {"email": "moussa@example.org"})

    assert (response.status_code, response["Retry-After"]) == (503, "60")
    assert "<title>Service momentanément indisponible · Volontiers</title>" in page(response)
    with database_on_cluster.connect() as db:
        db.execute(NO_DROP)
    response = browser.post("/accounts/login/code/", {"email": "moussa@example.org"})
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/code/confirm/")


def test_other_errors_keep_the_branded_500_and_400_pages(rf):
    request = rf.get("/missions/")
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    try:
        raise ValueError("a bug, not the database")
    except ValueError as error:
        assert middleware.process_exception(request, error) is None  # Django's way: handler500
        crashed = server_error(request)
    refused = bad_request(request, SuspiciousOperation("a forged request"))

    assert (crashed.status_code, refused.status_code) == (500, 400)
    assert "<h1>Une erreur est survenue</h1>" in crashed.content.decode()
    assert not crashed.has_header("Retry-After") and not refused.has_header("Retry-After")
