"""Reviews: each reviewer scores an application once on the mission's criteria, and may revise."""

import pytest
from django.urls import reverse

from applications.models import Review
from review.roles import REVIEWERS
from review.tests.factories import staff
from review.tests.helpers import as_user

pytestmark = pytest.mark.django_db


def test_a_reviewer_scores_once_and_can_revise(client, application):
    as_user(client, staff(REVIEWERS, "rev@example.org"))
    url = reverse("admin:applications_application_score", args=[application.pk])
    scores = {
        "score_experience": "2",
        "score_ess": "3",
        "score_cooperation": "4",
        "score_languages": "5",
        "score_motivation": "5",
    }

    client.post(url, {**scores, "comment": "Profil solide"})
    client.post(url, {**scores, "score_experience": "4", "comment": "Revu"})

    review = Review.objects.get()
    assert (str(review.average), review.comment) == ("4.20", "Revu")


def test_a_score_outside_1_to_5_is_refused(client, application):
    as_user(client, staff(REVIEWERS, "rev@example.org"))
    url = reverse("admin:applications_application_score", args=[application.pk])

    response = client.post(
        url,
        {
            "score_experience": "9",
            "score_ess": "3",
            "score_cooperation": "4",
            "score_languages": "5",
            "score_motivation": "5",
        },
    )

    assert response.status_code == 200 and not Review.objects.exists()
