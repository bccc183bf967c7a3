"""The partner's pages, reached by the link of their e-mail and opened with a one-time code:
the candidates in the link's scope, one candidate's file (redacted as staff set), its CV and
letter, an opinion form, and the dossier when staff allow it. Every view is logged."""

import datetime as dt
import shutil
import tempfile
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from applications.models import ApplicationDocument, ExportLog
from core.downloads import private_download
from core.security import client_ip, ratelimited
from review.services import mission_criteria
from selection import links, partner_dossiers
from selection.convert import to_pdf
from selection.forms import CodeForm, OpinionForm
from selection.models import PartnerAccess, PartnerDossier, PartnerLink, PartnerOpinion
from selection.redactions import Redactions
from selection.sections import APPENDED_KINDS, dossier_queryset, section

SESSION_KEY = "partner_links"
# A letter converted for the browser must come well before gunicorn's 60 s timeout.
VIEW_CONVERT_TIMEOUT = 20
R = TypeVar("R", bound=HttpResponseBase)


def partner_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = render(request, template, context, status=status)
    return private(response)


def private(response: R) -> R:
    """No page of a link is cached, indexed, or sends its address (with the token) to another
    site ("same-origin": "no-referrer" would send "Origin: null" and fail the CSRF check)."""
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def open_link(request: HttpRequest, token: str, now: dt.datetime) -> PartnerLink | HttpResponse:
    """The token's link, or the 410 page of a closed one; an unknown token is a 404."""
    try:
        link = links.link_of_token(token, now=now)
    except links.LinkGone as gone:
        return gone_page(request, gone.link, gone.reason)
    if link is None:
        raise Http404
    return link


def gone_page(request: HttpRequest, link: PartnerLink, reason: str) -> HttpResponse:
    context = {"link": link, "mission": link.mission, "reason": reason}
    return partner_page(request, "selection/gone.html", context, status=410)


def verified(request: HttpRequest, link: PartnerLink, now: dt.datetime) -> bool:
    """Whether this browser gave the link's code (for this token, and not too long ago)."""
    entry = request.session.get(SESSION_KEY, {}).get(str(link.pk))
    if not entry:
        return False
    tag, until = entry
    return tag == link.token_hash[:16] and dt.datetime.fromisoformat(until) > now


def remember(request: HttpRequest, link: PartnerLink, now: dt.datetime) -> None:
    request.session.cycle_key()  # a session fixed beforehand gains nothing
    until = min(link.expires_at, now + links.SESSION_LIFETIME)
    granted = request.session.get(SESSION_KEY, {})
    granted[str(link.pk)] = [link.token_hash[:16], until.isoformat()]
    request.session[SESSION_KEY] = granted


def limited(request: HttpRequest, rate: str) -> bool:
    return bool(is_ratelimited(request, group="partner", key=client_ip, rate=rate, increment=True))


@never_cache
def partner_home(request: HttpRequest, token: str) -> HttpResponseBase:
    """The code step, then the list of candidates in the link's scope."""
    if limited(request, settings.PARTNER_RATE_LIMIT):
        return ratelimited(request)
    now = timezone.now()
    link = open_link(request, token, now)
    if isinstance(link, HttpResponse):
        return link
    if not verified(request, link, now):
        return code_step(request, link, now)
    applications = links.in_scope(link).select_related("volunteer").order_by("reference")
    opinions = {o.application_id: o for o in PartnerOpinion.objects.filter(link=link)}
    rows = [(application, opinions.get(application.pk)) for application in applications]
    context = {"link": link, "mission": link.mission, "rows": rows, "token": token}
    return partner_page(request, "selection/home.html", context)


def code_step(request: HttpRequest, link: PartnerLink, now: dt.datetime) -> HttpResponseBase:
    """Ask for a code (sent to the link's address), then give it."""
    form = CodeForm()
    if request.method == "POST":
        if limited(request, "10/m"):
            return ratelimited(request)
        if request.POST.get("action") == "send":
            try:
                links.code_send(link, now=now)
                messages.success(request, _("Un code vous a été envoyé par e-mail."))
            except links.CodeError as error:
                messages.error(request, error.message)
            return redirect(request.path)
        form = CodeForm(request.POST)
        if form.is_valid():
            refusal = links.code_check(link, form.cleaned_data["code"], now=now)
            if not refusal:
                remember(request, link, now)
                return redirect(request.path)
            link.refresh_from_db()
            if link.closed(now):
                return gone_page(request, link, refusal)
            form.add_error("code", refusal)
    context = {"link": link, "mission": link.mission, "form": form, "masked": masked(link.email)}
    return partner_page(request, "selection/code.html", context, status=400 if form.errors else 200)


def masked(email: str) -> str:
    """j•••@example.org: enough for the partner to recognise their address."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def verified_link(
    request: HttpRequest, token: str, now: dt.datetime
) -> PartnerLink | HttpResponseBase:
    """The open link of a browser that gave its code; otherwise the page to answer with."""
    if limited(request, settings.PARTNER_RATE_LIMIT):
        return ratelimited(request)
    link = open_link(request, token, now)
    if isinstance(link, HttpResponse):
        return link
    if not verified(request, link, now):
        return redirect("selection:home", token=token)
    return link


@never_cache
def partner_candidate(request: HttpRequest, token: str, reference: str) -> HttpResponseBase:
    """One candidate's file, redacted as the link says, and the partner's opinion on it."""
    now = timezone.now()
    link = verified_link(request, token, now)
    if not isinstance(link, PartnerLink):
        return link
    application = get_object_or_404(
        links.in_scope(link).select_related("mission"), reference=reference
    )
    opinion = PartnerOpinion.objects.filter(link=link, application=application).first()
    criteria = mission_criteria(link.mission)
    form = OpinionForm(
        request.POST or None, initial=OpinionForm.initial_of_opinion(opinion), criteria=criteria
    )
    if request.method == "POST" and form.is_valid():
        given = links.OpinionInput(
            verdict=form.cleaned_data["verdict"],
            comment=form.cleaned_data["comment"],
            scores=form.scores(),
        )
        links.opinion_save(link, application, given, now=now)
        messages.success(request, _("Votre avis est enregistré. Merci."))
        return redirect("selection:candidate", token=token, reference=reference)
    # Every page showing the file is a view, a refused opinion's page too.
    links.logged(link, PartnerAccess.Action.VIEWED, now=now, application=application)
    # What the partner reads is what their dossier holds: selection.sections, redacted.
    shown = dossier_queryset(links.in_scope(link).filter(pk=application.pk), staff_sections=False)
    context = {
        "link": link,
        "mission": link.mission,
        "application": application,
        "token": token,
        "section": section(shown.get(), Redactions.of_link(link), staff_sections=False),
        "form": form,
        "opinion": opinion,
    }
    status = 400 if form.errors else 200
    return partner_page(request, "selection/candidate.html", context, status=status)


@never_cache
def partner_document(
    request: HttpRequest, token: str, reference: str, public_id: str
) -> HttpResponseBase:
    """A CV, letter or supporting file: shown in the browser, or downloaded if the link
    allows it; never with the documents redacted."""
    now = timezone.now()
    link = verified_link(request, token, now)
    if not isinstance(link, PartnerLink):
        return link
    if link.hide_documents:
        raise Http404
    application = get_object_or_404(links.in_scope(link), reference=reference)
    document = get_object_or_404(
        application.documents.filter(kind__in=APPENDED_KINDS), public_id=public_id
    )
    download = request.GET.get("download") == "1"
    if download and not link.allow_downloads:
        raise Http404
    action = (
        PartnerAccess.Action.DOCUMENT_DOWNLOADED
        if download
        else PartnerAccess.Action.DOCUMENT_VIEWED
    )
    links.logged(link, action, now=now, application=application, document=document)
    if download or document.file_type == "pdf":
        return private(private_download(document.file, document.original_name, inline=not download))
    return private(shown_as_pdf(request, link, document))


def shown_as_pdf(
    request: HttpRequest, link: PartnerLink, document: ApplicationDocument
) -> HttpResponseBase:
    """A DOCX or ODT letter, converted to PDF by LibreOffice for the browser to show (a
    browser shows no word-processor file); if it cannot be, a page that says so."""
    with tempfile.TemporaryDirectory(prefix="partner-view-") as folder:
        workdir = Path(folder)
        source = workdir / f"document.{document.file_type}"
        with document.file.open("rb") as stored, source.open("wb") as copy:
            shutil.copyfileobj(stored, copy)
        converted = to_pdf(source, workdir=workdir, timeout=VIEW_CONVERT_TIMEOUT)
        if converted.pdf is not None:
            response = HttpResponse(converted.pdf.read_bytes(), content_type="application/pdf")
            name = f"{Path(document.original_name).stem}.pdf"
            response["Content-Disposition"] = content_disposition_header(False, name) or ""
            return response
    context = {"link": link, "mission": link.mission, "document": document}
    return render(request, "selection/document_unavailable.html", context, status=422)


@never_cache
def partner_dossier(request: HttpRequest, token: str) -> HttpResponseBase:
    """The dossier PDF of the link's candidates, when staff allow it: asked for here, built
    by the worker, then downloaded from this page (which refreshes itself meanwhile)."""
    now = timezone.now()
    link = verified_link(request, token, now)
    if not isinstance(link, PartnerLink):
        return link
    if not link.allow_dossier:
        raise Http404
    if request.method == "POST":
        partner_dossiers.dossier_start(link)
        return redirect("selection:dossier", token=token)
    dossier = partner_dossiers.latest(link)
    context = {"link": link, "mission": link.mission, "token": token, "dossier": dossier}
    return partner_page(request, "selection/dossier_job.html", context)


@never_cache
def partner_dossier_download(request: HttpRequest, token: str, public_id: str) -> HttpResponseBase:
    now = timezone.now()
    link = verified_link(request, token, now)
    if not isinstance(link, PartnerLink):
        return link
    if not link.allow_dossier:
        raise Http404
    dossier = get_object_or_404(
        PartnerDossier.objects.select_related("export", "link"),
        link=link,
        export__public_id=public_id,
        export__state=ExportLog.State.READY,
    )
    partner_dossiers.dossier_downloaded(dossier, now=now)
    day = timezone.localdate(dossier.export.created_at)
    name = f"dossier_{link.mission.reference}_{day:%Y-%m-%d}.pdf"
    return private(private_download(dossier.export.file, name))
