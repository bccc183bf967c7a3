from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from core.paginators import WindowCountPaginator
from core.security import client_ip, ratelimited
from missions import eligibility, sections, services
from missions.cache import cache_anonymous_page
from missions.cards import card_fields, cards_html, mission_cards
from missions.counters import counted, page_counts
from missions.forms import EligibilityCheckForm, MissionFilterForm, ReviewRequestForm
from missions.models import Mission
from missions.selectors import missions_for_catalogue


@cache_anonymous_page
def mission_list(request: HttpRequest) -> HttpResponse:
    """The public catalogue: filters, open missions first, 20 to a page."""
    now = timezone.now()
    form = MissionFilterForm(request.GET or None)
    form.is_valid()  # a bad value is reported on its field; the valid filters still apply
    filters = getattr(form, "cleaned_data", {})
    missions = missions_for_catalogue(filters=filters, now=now).values(*card_fields())
    paginator = WindowCountPaginator(missions, settings.MISSIONS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    cards = mission_cards(page.object_list, now)
    context = {
        "form": form,
        "page": page,
        "cards": cards,
        "cards_html": cards_html(cards),
        "filter_query": query.urlencode(),
        "alert_query": alert_query(filters),
    }
    return render(request, "missions/mission_list.html", context)


# The filters an alert keeps (``alerts``): the search, not the page's display choices.
ALERT_FILTERS = ("q", "country", "programme", "framework")


def alert_query(filters: dict[str, Any]) -> str:
    """The valid filters of the list, as the query of the alert form's address."""
    return urlencode({name: filters[name] for name in ALERT_FILTERS if filters.get(name)})


def limited(request: HttpRequest, group: str, rate: str) -> bool:
    """Count this request against the client address's allowance; True once it is used up."""
    return bool(is_ratelimited(request, group=group, key=client_ip, rate=rate, increment=True))


def candidate_verdict(
    request: HttpRequest, terms: eligibility.MissionTerms, check_form: EligibilityCheckForm
) -> eligibility.Verdict | None:
    """The verdict for the signed-in candidate's profile, or for the anonymous answers, if any."""
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is not None:
        facts = volunteer.facts()
    elif check_form.is_valid():
        facts = check_form.facts()
    else:
        return None
    return eligibility.evaluate(terms, facts, timezone.now())


def own_application(request: HttpRequest, mission: Mission) -> Any:
    """The signed-in candidate's application to this mission (a draft too), if any."""
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None:
        return None
    fields = ("reference", "stage", "mission_id", "volunteer_id")
    return volunteer.applications.filter(mission=mission).only(*fields).first()


@counted
@cache_anonymous_page
def mission_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One posting, every section, and whether the visitor may apply; JSON-LD while open."""
    mission, links = sections.public_mission_or_404(reference)
    terms = mission.terms(links.programmes, links.knockouts)
    now = timezone.now()
    is_open = mission.is_open(now)
    # A closed mission asks nothing: no check, no verdict (the page says it is closed).
    asked = is_open and "nationality" in request.GET
    if asked and limited(request, "eligibility-check", "30/m"):
        return ratelimited(request)
    check_form = EligibilityCheckForm(request.GET if asked else None, knockouts=links.knockouts)
    verdict = candidate_verdict(request, terms, check_form) if is_open else None
    review_form = None
    if verdict is not None and not verdict.eligible:
        review_form = ReviewRequestForm(
            initial={"email": getattr(request.user, "email", ""), **request.GET.dict()},
            auto_id="review_%s",  # its hidden answers must not take the questions' ids
            knockouts=links.knockouts,
        )
    context: dict[str, Any] = {
        "mission": mission,
        "programmes": links.programmes,
        "partner_names": links.partner_names,
        "now": now,
        "is_open": is_open,
        "sections": sections.mission_sections(mission, links, is_open=is_open, now=now),
        "check_form": check_form,
        "verdict": verdict,
        "review_form": review_form,
        "has_profile": hasattr(request.user, "volunteer"),
        "application": own_application(request, mission),
    }
    response = render(request, "missions/mission_detail.html", context)
    response.counts = page_counts(request, mission, verdict, now)  # type: ignore[attr-defined]
    return response


@require_POST
def review_request(request: HttpRequest, reference: str) -> HttpResponse:
    """A refused candidate asks staff for a human review; the request reaches the admin."""
    if limited(request, "review-request", "5/h"):
        return ratelimited(request)
    mission, links = sections.public_mission_or_404(reference)
    form = ReviewRequestForm(request.POST, auto_id="review_%s", knockouts=links.knockouts)
    asked = ["nationality", "second_nationality", "residence"]
    asked += EligibilityCheckForm.answer_names(links.knockouts)
    check_form = EligibilityCheckForm(
        {k: request.POST.get(k, "") for k in asked}, knockouts=links.knockouts
    )
    terms = mission.terms(links.programmes, links.knockouts)
    verdict = candidate_verdict(request, terms, check_form)
    if verdict is None or verdict.eligible:
        # A review is for a refusal: nothing to review otherwise.
        return render(
            request, "missions/review_request.html", {"mission": mission, "form": form}, status=400
        )
    if not form.is_valid():
        return render(
            request,
            "missions/review_request.html",
            {"mission": mission, "form": form},
            status=400,
        )
    services.review_request_create(
        mission=mission,
        email=form.cleaned_data["email"],
        message=form.cleaned_data["message"],
        verdict=verdict.as_dict() if verdict else {},
        user=request.user if request.user.is_authenticated else None,
    )
    messages.success(
        request,
        _("Votre demande de réexamen est transmise à l'équipe : elle vous répondra par e-mail."),
    )
    return redirect(mission)
