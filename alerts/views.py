"""The alerts' pages: the sign-up form (from the catalogue), the confirmation page, the
one-click unsubscribe (RFC 8058) and the page managing a subscriber's alerts."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from alerts import services
from alerts.forms import AlertForm, FrequencyForm
from alerts.models import Alert
from core.security import client_ip, ratelimited
from volunteers.models import User


def private(response: HttpResponse) -> HttpResponse:
    """A page of a link with a token: not cached, not indexed, its address never sent on."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return private(render(request, f"alerts/{template}", context, status=status))


def unknown_link(request: HttpRequest) -> HttpResponse:
    """A tampered, mistyped or deleted link: a clear page, nothing changed (404)."""
    return page(request, "unknown_link.html", {}, status=404)


@require_http_methods(["GET", "POST"])
def alert_new(request: HttpRequest) -> HttpResponse:
    """The form, filled with the catalogue's filters; the same answer whatever happens next."""
    if request.method == "GET":
        email = request.user.email if request.user.is_authenticated else ""
        form = AlertForm(initial={"email": email, **request.GET.dict()})
        return render(request, "alerts/new.html", {"form": form})
    if is_ratelimited(
        request,
        group="alert-signup",
        key=client_ip,
        rate=settings.ALERTS_SIGNUP_RATE,
        increment=True,
    ):
        return ratelimited(request)
    form = AlertForm(request.POST)
    if not form.is_valid():
        return render(request, "alerts/new.html", {"form": form}, status=400)
    services.alert_subscribe(
        email=form.cleaned_data["email"],
        search=form.search(),
        frequency=form.cleaned_data["frequency"],
        language=get_language() or settings.LANGUAGE_CODE,
        user=request.user if isinstance(request.user, User) else None,
        now=timezone.now(),
    )
    return render(request, "alerts/sent.html", {"email": form.cleaned_data["email"]})


@require_http_methods(["GET", "POST"])
def alert_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (a mail scanner opening the link confirms nothing); POST confirms."""
    alert = services.alert_of_confirm_token(token)
    if alert is None:
        return unknown_link(request)
    confirmed = False
    if request.method == "POST" and alert.state == Alert.State.PENDING:
        confirmed = services.alert_confirm(alert=alert, now=timezone.now())
    return page(request, "confirm.html", {"alert": alert, "confirmed": confirmed})


@csrf_exempt  # RFC 8058: the mail client's one-click POST carries no CSRF token
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a one-button form; POST (that form or a mail client) unsubscribes at once."""
    alert = services.alert_of_token(token)
    if alert is None:
        return unknown_link(request)
    already = alert.state == Alert.State.UNSUBSCRIBED
    done = False
    if request.method == "POST" and not already:
        done = services.alert_unsubscribe(alert=alert, now=timezone.now())
    context = {"alert": alert, "token": token, "done": done, "already": already}
    return page(request, "unsubscribe.html", context)


@require_http_methods(["GET", "POST"])
def alert_manage(request: HttpRequest, token: str) -> HttpResponse:
    """The subscriber's alerts, reached from a digest's link."""
    alert = services.alert_of_token(token)
    if alert is None:
        return unknown_link(request)
    alerts = Alert.objects.filter(email__iexact=alert.email)
    return manage(request, alerts, here=request.path)


@login_required
@require_http_methods(["GET", "POST"])
def my_alerts(request: HttpRequest) -> HttpResponse:
    """A signed-in person's alerts, linked from /me/."""
    user: Any = request.user
    alerts = Alert.objects.filter(Q(user=user) | Q(email__iexact=user.email))
    return manage(request, alerts, here=request.path)


def manage(request: HttpRequest, alerts: QuerySet[Alert], *, here: str) -> HttpResponse:
    """List the alerts; POST changes one's frequency, deletes one, or stops them all."""
    if request.method == "POST":
        message = manage_action(request, alerts)
        if message is None:
            return page(request, "manage.html", {"alerts": alerts, "error": True}, status=400)
        messages.success(request, message)
        return redirect(here)
    return page(request, "manage.html", {"alerts": alerts.order_by("created_at")})


def manage_action(request: HttpRequest, alerts: QuerySet[Alert]) -> str | None:
    """Do what the manage page's button asked; the message to show, or None for a bad request."""
    action = request.POST.get("action", "")
    if action == "unsubscribe_all":
        services.alerts_unsubscribe_all(alerts=alerts, now=timezone.now())
        return _("Vous ne recevrez plus aucune alerte.")
    alert_id = request.POST.get("alert", "")
    alert = alerts.filter(pk=alert_id).first() if alert_id.isdigit() else None
    if alert is None:
        return None
    if action == "delete":
        services.alert_delete(alert=alert)
        return _("L'alerte est supprimée.")
    form = FrequencyForm(request.POST)
    if action == "frequency" and form.is_valid():
        services.alert_set_frequency(alert=alert, frequency=form.cleaned_data["frequency"])
        return _("La fréquence de l'alerte est enregistrée.")
    return None
