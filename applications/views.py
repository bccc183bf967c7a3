import datetime as dt
from dataclasses import replace
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from applications import answers, privacy, selectors, services, sources
from applications.answer_forms import AnswersForm
from applications.forms import ApplicationForm
from applications.models import Answer, Application, Stage
from core.documents import DocumentNotStored
from core.downloads import private_download
from core.security import ratelimited
from missions import sections
from missions.eligibility import MissionTerms, Verdict, evaluate
from missions.models import mission_questions
from volunteers import pool
from volunteers.models import User, Volunteer
from volunteers.selectors import email_verified_exists


def signed_in_user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here requires login


# What /me/ shows of each application and its mission.
LISTED = (
    "reference", "stage", "submitted_at", "updated_at", "mission_id", "volunteer_id",
    "mission__reference", "mission__title_fr", "mission__title_en",
)  # fmt: skip


@login_required
def candidate_space(request: HttpRequest) -> HttpResponse:
    """/me/: the profile, what is missing, and every application with its stage."""
    user = signed_in_user(request)
    volunteer = getattr(user, "volunteer", None)  # read with the account (volunteers.backends)
    if volunteer is not None:
        prefetch_related_objects([volunteer], "languages")  # read thrice by the page
    applications = (
        Application.objects.filter(volunteer__user=user)
        .select_related("mission")
        .only(*LISTED)  # not the profile and verdict kept at sending (JSON read for nothing)
        .order_by("-updated_at")
    )
    context = {
        "volunteer": volunteer,
        "applications": applications,
        "coordinates": selectors.sees_coordination(user),
        "pool_until": pool_membership_end(volunteer),
        "pool_months": settings.POOL_MONTHS,
    }
    return render(request, "volunteers/me.html", context)


def pool_membership_end(volunteer: Volunteer | None) -> dt.datetime | None:
    """When the candidate's talent pool membership ends, or None outside the pool."""
    if volunteer is None or volunteer.pool_since is None:
        return None
    found = Volunteer.objects.filter(pk=volunteer.pk).annotate(last_contact=pool.last_contact())
    last_contact = found.values_list("last_contact", flat=True).first()
    if last_contact is None or last_contact < pool.pool_limit(now=timezone.now()):
        return None
    return pool.pool_until(last_contact=last_contact)


def apply_context(request: HttpRequest, reference: str) -> dict[str, Any] | HttpResponse:
    """What every step of the apply flow needs, or where to send a candidate who is not ready."""
    mission, links = sections.public_mission_or_404(reference)  # kept, as its page reads it
    terms = mission.terms(links.programmes, links.knockouts)
    user = signed_in_user(request)
    volunteer = (
        Volunteer.objects.filter(user=user)
        .annotate(email_verified=email_verified_exists())  # one query less than asking apart
        .prefetch_related("languages")
        .first()
    )
    if volunteer is None:
        messages.info(
            request, _("Remplissez d'abord votre profil : il sert à toutes vos candidatures.")
        )
        return redirect(f"{reverse('volunteers:profile')}?next={request.path}")
    application = Application.objects.filter(volunteer=volunteer, mission=mission).first()
    questions = mission_questions(mission) if links.asks_questions else []
    saved = answers.saved_answers(application) if questions else {}
    verdict = candidate_verdict(terms, volunteer, saved)
    return {
        "mission": mission,
        "terms": terms,
        "volunteer": volunteer,
        "application": application,
        "questions": questions,
        "saved_answers": saved,
        "verdict": verdict,
        "verified": volunteer.email_verified,
        # The mission's own knock-out answers can be changed on the questions step.
        "knockout_refused": any(f.code == "knockout_answer" for f in verdict.refusals),
        "source": sources.session_source(request, mission.reference),
    }


def candidate_verdict(
    terms: MissionTerms, volunteer: Volunteer, saved: dict[int, Answer]
) -> Verdict:
    facts = replace(volunteer.facts(), answers=answers.knockout_answers(saved))
    return evaluate(terms, facts, timezone.now())


def only_knockouts(verdict: Verdict) -> bool:
    """Refused for the answers to the mission's questions alone (which can be changed)."""
    return all(finding.code == "knockout_answer" for finding in verdict.refusals)


@login_required
def apply(request: HttpRequest, reference: str) -> HttpResponse:
    """The application form: verdict first, then documents; every valid part is saved as a draft."""
    context = apply_context(request, reference)
    if isinstance(context, HttpResponse):
        return context
    application: Application | None = context["application"]
    if application is not None and application.stage != Stage.DRAFT:
        return render(request, "applications/application_status.html", context)
    if not context["verified"] or not context["verdict"].eligible:
        return render(request, "applications/apply_blocked.html", context, status=403)
    form = ApplicationForm(
        request.POST or None, request.FILES or None, initial=draft_initial(application)
    )
    status = 200
    if request.method == "POST":
        rate = settings.APPLY_RATE_LIMIT
        if is_ratelimited(request, group="apply", key="user", rate=rate, increment=True):
            return ratelimited(request)
        form.is_valid()
        # The draft read by apply_context is locked and checked again by the save.
        application = application or services.application_draft_get(
            volunteer=context["volunteer"],
            mission=context["mission"],
            source=context["source"],
        )
        parts = {
            name: form.valid_part(name)  # a part that failed validation is None: kept as it was
            for name in ("motivation", "use_profile_cv", "declaration", "consent", "letter", "cv")
        }
        try:
            application = draft_save(context, application, parts)
        except services.ApplicationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        except DocumentNotStored as error:
            # Nothing of this POST was saved: the form comes back as typed, with the reason.
            if request.POST.get("next") == "autosave":
                return HttpResponse(status=503)
            messages.error(request, error.message)
            status = 503
        else:
            step = "applications:questions" if context["questions"] else "applications:review"
            after_save = after_draft_save(request, form, reference, step)
            if after_save is not None:
                return after_save
            context["saved_draft"] = True
    documents = {d.kind: d for d in application.documents.all()} if application else {}
    context.update({"form": form, "application": application, "documents": documents})
    return render(request, "applications/apply.html", context, status=status)


def draft_save(
    context: dict[str, Any], application: Application, parts: dict[str, Any]
) -> Application:
    """Save the form's valid parts into the draft, and return the draft saved."""
    try:
        services.application_draft_save(application=application, **parts)
    except Application.DoesNotExist:
        # Deleted (in another tab) since this page read it: start it again, as typed.
        application = services.application_draft_get(
            volunteer=context["volunteer"],
            mission=context["mission"],
            source=context["source"],
        )
        services.application_draft_save(application=application, **parts)
    return application


def after_draft_save(
    request: HttpRequest, form: ApplicationForm, reference: str, step: str = "applications:review"
) -> HttpResponse | None:
    """Where a saved draft goes next: an autosave answer, the review step, or None (the form)."""
    if request.POST.get("next") == "autosave":
        # Saved while typing (static/js/autosave.js); 422 tells the script a part was refused.
        return HttpResponse(status=204 if form.is_valid() else 422)
    if form.is_valid() and request.POST.get("next") == "review":
        return redirect(step, reference=reference)
    if form.is_valid():
        messages.success(request, _("Brouillon enregistré : vous pouvez reprendre plus tard."))
        return redirect(request.path)
    return None


def draft_initial(application: Application | None) -> dict[str, Any]:
    if application is None:
        return {}
    return {
        "motivation": application.motivation,
        "use_profile_cv": "yes" if application.use_profile_cv else "no",
        "declaration": application.declaration,
        "consent": application.consent_at is not None,
    }


@login_required
def review(request: HttpRequest, reference: str) -> HttpResponse:
    """The last look before sending: everything the staff will receive."""
    context = apply_context(request, reference)
    if isinstance(context, HttpResponse):
        return context
    application: Application | None = context["application"]
    if application is None or application.stage != Stage.DRAFT:
        return redirect("applications:apply", reference=reference)
    if not context["verified"] or not context["verdict"].eligible:
        return render(request, "applications/apply_blocked.html", context, status=403)
    missing = services.missing_for_submission(
        application, context["questions"], context["saved_answers"]
    )
    for message in missing:
        messages.error(request, message)
    unanswered = answers.answers_missing(context["questions"], context["saved_answers"])
    if missing:
        step = "applications:questions" if len(unanswered) == len(missing) else "applications:apply"
        return redirect(step, reference=reference)
    context["documents"] = {d.kind: d for d in application.documents.all()}
    context["answers"] = sorted(context["saved_answers"].values(), key=lambda a: a.position)
    return render(request, "applications/review.html", context)


@login_required
def questions(request: HttpRequest, reference: str) -> HttpResponse:
    """The mission's own questions, a step of their own; every valid answer is kept in the
    draft, an answer hidden by its condition is dropped."""
    context = apply_context(request, reference)
    if isinstance(context, HttpResponse):
        return context
    application: Application | None = context["application"]
    if application is not None and application.stage != Stage.DRAFT:
        return redirect("applications:apply", reference=reference)
    if not context["verified"] or not only_knockouts(context["verdict"]):
        return render(request, "applications/apply_blocked.html", context, status=403)
    if not context["questions"]:
        return redirect("applications:review", reference=reference)
    form = AnswersForm(
        request.POST or None,
        request.FILES or None,
        questions=context["questions"],
        saved=context["saved_answers"],
        require=request.POST.get("next") == "review",
    )
    context["form"] = form
    status = 200
    if request.method == "POST":
        rate = settings.APPLY_RATE_LIMIT
        if is_ratelimited(request, group="apply", key="user", rate=rate, increment=True):
            return ratelimited(request)
        answered = answers_post(request, context, form)
        if isinstance(answered, HttpResponse):
            return answered
        status = answered
    return render(request, "applications/questions.html", context, status=status)


def answers_post(
    request: HttpRequest, context: dict[str, Any], form: AnswersForm
) -> HttpResponse | int:
    """Save the answers' valid parts; where to go next, or the status of the page again."""
    valid = form.is_valid()
    next_step = request.POST.get("next")
    application = context["application"] or services.application_draft_get(
        volunteer=context["volunteer"], mission=context["mission"], source=context["source"]
    )
    context["application"] = application
    try:
        services.application_answers_save(
            application=application,
            questions=context["questions"],
            changes=form.changes(),
            uploads=form.uploads(),
        )
    except services.ApplicationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(request.path)
    except DocumentNotStored as error:
        if next_step == "autosave":
            return HttpResponse(status=503)
        messages.error(request, error.message)
        return 503
    if next_step == "autosave":
        return HttpResponse(status=204 if valid else 422)
    saved = answers.saved_answers(application)
    verdict = candidate_verdict(context["terms"], context["volunteer"], saved)
    if valid and verdict.eligible:
        if next_step == "review":
            return redirect("applications:review", reference=context["mission"].reference)
        messages.success(request, _("Brouillon enregistré : vous pouvez reprendre plus tard."))
        return redirect(request.path)
    # A refused part, or a knock-out answer: the page again, with the verdict as it now is.
    context.update({"saved_answers": saved, "verdict": verdict, "saved_draft": True})
    return 200


@login_required
@require_POST
def submit(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the draft; the server checks everything again (eligibility, deadline, documents)."""
    user = signed_in_user(request)
    if is_ratelimited(request, group="submit", key="user", rate="10/m", increment=True):
        return ratelimited(request)
    application = get_object_or_404(Application, volunteer__user=user, mission__reference=reference)
    try:
        sent = services.application_submit(application_id=application.pk, now=timezone.now())
    except services.ApplicationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("applications:apply", reference=reference)
    except DocumentNotStored as error:
        messages.error(request, error.message)
        return redirect("applications:apply", reference=reference)
    messages.success(
        request,
        _("Candidature envoyée. Votre référence : %(reference)s.") % {"reference": sent.reference},
    )
    return redirect("applications:apply", reference=reference)


@login_required
def withdraw(request: HttpRequest, application_reference: str) -> HttpResponse:
    """Withdraw an application before the decision, after a confirmation step."""
    user = signed_in_user(request)
    application = get_object_or_404(
        Application.objects.select_related("mission"),
        volunteer__user=user,
        reference=application_reference,
    )
    if request.method == "POST":
        try:
            services.application_withdraw(application_id=application.pk, by=user)
        except services.ApplicationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Votre candidature %(reference)s est retirée.")
                % {"reference": application.reference},
            )
            volunteer = application.volunteer
            if request.POST.get("pool") == "yes" and volunteer.pool_since is None:
                pool.pool_join(volunteer=volunteer, now=timezone.now())
                messages.success(request, _("Vous êtes dans le vivier de talents."))
        return redirect("me")
    context = {"application": application, "pool_months": settings.POOL_MONTHS}
    return render(request, "applications/withdraw_confirm.html", context)


def document_download(request: HttpRequest, public_id: str) -> HttpResponse | FileResponse:
    """A document, only for those allowed to read it, always as a download."""
    document = selectors.document_for(user=request.user, public_id=public_id)
    if document is None:
        raise Http404
    return private_download(document.file, document.original_name)


@login_required
def personal_data(request: HttpRequest) -> FileResponse:
    """Everything held about the signed-in candidate, as one ZIP archive."""
    archive = privacy.personal_data_archive(user=signed_in_user(request))
    response = FileResponse(archive, as_attachment=True, filename="volontiers-mes-donnees.zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the account after a confirmation: applications withdrawn, files removed."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        privacy.account_erase(
            user=signed_in_user(request), reason="account deleted by the candidate"
        )
        logout(request)
        messages.success(request, _("Votre compte et vos documents sont supprimés."))
        return redirect("missions:list")
    return render(request, "applications/account_delete.html")
