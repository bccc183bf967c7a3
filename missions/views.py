from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from missions import jsonld
from missions.forms import MissionFilterForm
from missions.models import Mission
from missions.selectors import missions_for_catalogue


def mission_list(request: HttpRequest) -> HttpResponse:
    """The public catalogue: filters, open missions first, 20 to a page."""
    now = timezone.now()
    form = MissionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    missions = missions_for_catalogue(filters=filters, now=now)
    page = Paginator(missions, settings.MISSIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "missions/mission_list.html",
        {"form": form, "page": page, "now": now, "filter_query": query.urlencode()},
    )


def mission_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One posting, every section; JSON-LD only while applications are open."""
    mission = get_object_or_404(
        Mission.objects.public().prefetch_related("programmes", "partners"), reference=reference
    )
    now = timezone.now()
    is_open = mission.is_open(now)
    structured_data = None
    if is_open:
        url = settings.SITE_URL + mission.get_absolute_url()
        structured_data = jsonld.as_script_text(jsonld.job_posting(mission, url=url))
    return render(
        request,
        "missions/mission_detail.html",
        {"mission": mission, "now": now, "is_open": is_open, "structured_data": structured_data},
    )
