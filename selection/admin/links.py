"""The partner links' pages: the form staff fill, the actions, the log of accesses."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from selection import links
from selection.admin.read_only import ReadOnly
from selection.models import PartnerAccess, PartnerLink, PartnerOpinion


class PartnerLinkForm(forms.ModelForm[PartnerLink]):
    """A new link: who, which mission, for how long, which candidates, what is hidden."""

    days = forms.IntegerField(
        label=_("Validité (jours)"),
        min_value=1,
        max_value=links.MAX_DAYS,
        initial=links.DEFAULT_DAYS,
        help_text=_("14 jours par défaut, 60 au plus."),
        error_messages={
            "max_value": _("Un lien vaut 60 jours au plus."),
            "min_value": _("Un lien vaut au moins un jour."),
        },
    )

    class Meta:
        model = PartnerLink
        fields = (
            "mission", "organisation", "person", "email", "language", "scope", "applications",
            "hide_birth_date", "hide_nationality", "hide_contact", "hide_documents",
            "allow_downloads", "allow_dossier",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mission, chosen = data.get("mission"), data.get("applications")
        if data.get("scope") == PartnerLink.Scope.CHOSEN and not chosen:
            self.add_error("applications", _("Choisissez au moins une candidature."))
        if mission and chosen:
            strangers = [
                a.reference for a in chosen if a.mission_id != mission.pk or not a.submitted_at
            ]
            if strangers:
                self.add_error(
                    "applications",
                    _("Candidatures non envoyées à cette mission : %(refs)s.")
                    % {"refs": ", ".join(strangers)},
                )
        return data


class PartnerLinkChangeForm(forms.ModelForm[PartnerLink]):
    """An existing link: its scope, redactions and expiry change; not its address."""

    class Meta:
        model = PartnerLink
        fields = (
            "scope", "applications", "hide_birth_date", "hide_nationality", "hide_contact",
            "hide_documents", "allow_downloads", "allow_dossier", "expires_at",
        )  # fmt: skip

    def clean_expires_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["expires_at"]
        if value > self.instance.created_at + dt.timedelta(days=links.MAX_DAYS):
            raise forms.ValidationError(_("Un lien vaut 60 jours au plus après sa création."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("applications")
        if data.get("scope") == PartnerLink.Scope.CHOSEN and not chosen:
            self.add_error("applications", _("Choisissez au moins une candidature."))
        if chosen and any(a.mission_id != self.instance.mission_id for a in chosen):
            self.add_error("applications", _("Choisissez des candidatures de la mission du lien."))
        return data


class AccessInline(ReadOnly, admin.TabularInline[PartnerAccess, PartnerLink]):
    model = PartnerAccess
    fields = ("at", "action", "application", "document", "email")
    readonly_fields = fields
    verbose_name_plural = _("journal des accès")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("application")


class OpinionInline(ReadOnly, admin.TabularInline[PartnerOpinion, PartnerLink]):
    model = PartnerOpinion
    fields = ("application", "verdict", "average", "scores", "comment", "updated_at")
    readonly_fields = fields
    verbose_name_plural = _("avis donnés")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("application")


@admin.action(description=_("Révoquer les liens choisis"))
def revoke(modeladmin: Any, request: HttpRequest, queryset: QuerySet[PartnerLink]) -> None:
    now = timezone.now()
    for link in queryset:
        links.link_revoke(link, now=now)
    modeladmin.message_user(
        request,
        ngettext("%(count)d lien révoqué.", "%(count)d liens révoqués.", len(queryset))
        % {"count": len(queryset)},
        messages.SUCCESS,
    )


@admin.action(description=_("Envoyer un nouveau lien (l'ancien ne s'ouvre plus)"))
def send_again(modeladmin: Any, request: HttpRequest, queryset: QuerySet[PartnerLink]) -> None:
    now = timezone.now()
    sent = 0
    for link in queryset:
        if link.revoked_at or now >= link.expires_at:
            continue
        links.link_unlock(link)
        links.link_send(link, now=now)
        sent += 1
    modeladmin.message_user(
        request,
        ngettext("%(count)d nouveau lien envoyé.", "%(count)d nouveaux liens envoyés.", sent)
        % {"count": sent},
        messages.SUCCESS if sent else messages.WARNING,
    )


@admin.register(PartnerLink)
class PartnerLinkAdmin(admin.ModelAdmin[PartnerLink]):
    list_display = (
        "mission",
        "organisation",
        "person",
        "email",
        "expires_at",
        "state",
        "created_by",
    )
    list_filter = ("mission",)
    search_fields = ("organisation", "person", "email", "mission__reference")
    list_select_related = ("mission", "created_by")
    autocomplete_fields = ("mission", "applications")
    actions = (revoke, send_again)
    inlines = (OpinionInline, AccessInline)

    def get_form(
        self,
        request: HttpRequest,
        obj: PartnerLink | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> Any:
        kwargs["form"] = PartnerLinkChangeForm if obj else PartnerLinkForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: PartnerLink | None = None) -> Any:
        shown = (
            ("hide_birth_date", "hide_nationality", "hide_contact", "hide_documents"),
            ("allow_downloads", "allow_dossier"),
        )
        who: tuple[str, ...]
        if obj is None:
            who = ("mission", "organisation", "person", "email", "language", "days")
        else:
            who = ("mission", "organisation", "person", "email", "language", "expires_at",
                   "state", "created_by", "created_at", "code_attempts")  # fmt: skip
        return (
            (None, {"fields": who}),
            (_("Candidatures montrées"), {"fields": ("scope", "applications")}),
            (_("Masqué au partenaire"), {"fields": shown[0]}),
            (_("Autorisé"), {"fields": shown[1]}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: PartnerLink | None = None) -> Any:
        if obj is None:
            return ()
        return ("mission", "organisation", "person", "email", "language", "state",
                "created_by", "created_at", "code_attempts")  # fmt: skip

    def get_inlines(self, request: HttpRequest, obj: PartnerLink | None) -> Any:
        return self.inlines if obj else ()

    @admin.display(description=_("état"))
    def state(self, link: PartnerLink) -> str:
        return str(links.closed_reason(link, timezone.now()) or _("ouvert"))

    def save_model(self, request: HttpRequest, obj: PartnerLink, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        now = timezone.now()
        obj.created_by = request.user  # type: ignore[assignment]
        obj.expires_at = now + dt.timedelta(days=form.cleaned_data["days"])
        links.link_create(obj, list(form.cleaned_data["applications"]), now=now)
        self.message_user(
            request,
            _("Le lien est envoyé à %(email)s ; un code lui sera demandé à l'ouverture.")
            % {"email": obj.email},
            messages.SUCCESS,
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:  # on creation, link_create has set the applications
            super().save_related(request, form, formsets, change)


@admin.register(PartnerAccess)
class PartnerAccessAdmin(admin.ModelAdmin[PartnerAccess]):
    """Every access of every partner link, to read (never to change)."""

    list_display = ("at", "action", "link", "application", "document", "email")
    list_filter = ("action", "link__mission")
    search_fields = ("email", "link__organisation", "application__reference")
    list_select_related = ("link", "application")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
