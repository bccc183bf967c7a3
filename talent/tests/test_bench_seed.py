"""seed_bench --profiles: the benchmark's pool is searchable at once, and seeded again cleanly."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from talent.models import SearchProfile
from talent.search import Criteria, search_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgresql")]


def test_seeded_profiles_are_found_by_the_search():
    for _ in range(2):  # the second run replaces the first one's data
        call_command("seed_bench", missions=2, applications=3, profiles=60, verbosity=0)
    assert SearchProfile.objects.filter(vector__isnull=False).count() == 60
    page, results = search_page(
        criteria=Criteria(words="gestion"), page=1, per_page=25, now=timezone.now(), target=None
    )
    assert page.paginator.count > 0
    assert "<mark>" in str(results[0].extract)
