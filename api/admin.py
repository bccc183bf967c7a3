"""API keys in the admin: staff create one (shown once), see when each was last used, and
revoke it; a key is never deleted, so that what it did stays attributed."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import APIKey

from api.keys import key_limit
from api.models import ApiKey, Scope

# The library's own key model stays unused (and out of the admin): ours adds scopes, missions
# and who created each key.
admin.site.unregister(APIKey)


class ApiKeyForm(forms.ModelForm[ApiKey]):
    scopes = forms.MultipleChoiceField(
        label=_("Portées"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une portée.")},
    )
    expiry_date = forms.SplitDateTimeField(
        label=_("Expire le"),
        widget=AdminSplitDateTime,
        help_text=_("Après cette date, la clé est refusée : un an au plus est conseillé."),
        error_messages={"required": _("Indiquez quand la clé expire.")},
    )

    class Meta:
        model = ApiKey
        fields = ("name", "scopes", "missions", "expiry_date")

    def clean_expiry_date(self) -> Any:
        expiry = self.cleaned_data["expiry_date"]
        if expiry <= timezone.now():
            raise forms.ValidationError(_("Choisissez une date à venir."))
        return expiry


@admin.action(description=_("Révoquer les clés sélectionnées"), permissions=["change"])
def revoke_keys(
    model_admin: admin.ModelAdmin[ApiKey], request: HttpRequest, queryset: QuerySet[ApiKey]
) -> None:
    count = queryset.filter(revoked=False).update(revoked=True)
    model_admin.message_user(
        request, _("Clés révoquées : %(count)s.") % {"count": count}, messages.SUCCESS
    )


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin[ApiKey]):
    form = ApiKeyForm
    list_display = (
        "name", "prefix", "created_by", "created", "expiry_date", "last_used_at", "revoked",
    )  # fmt: skip
    list_filter = ("revoked",)
    list_select_related = ("created_by",)
    search_fields = ("name", "prefix")
    autocomplete_fields = ("missions",)
    actions = (revoke_keys,)

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> Any:
        if obj is None:
            return ()
        shown = ("prefix", "created_by", "created", "last_used_at", "revoked")
        return (*shown, "name", "scopes", "missions", "expiry_date") if obj.revoked else shown

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> Any:
        fields = ("name", "scopes", "missions", "expiry_date")
        if obj is None:
            return fields
        return ("prefix", *fields, "created_by", "created", "last_used_at", "revoked")

    def save_model(
        self, request: HttpRequest, obj: ApiKey, form: forms.ModelForm[ApiKey], change: bool
    ) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
            obj.new_secret = ApiKey.objects.assign_key(obj)  # type: ignore[attr-defined]
        obj.save()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        key_limit(form.instance, form.instance.missions.all())

    def response_add(
        self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None
    ) -> HttpResponse:
        """The key, shown on this page only: the database keeps its hash alone."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Clé d'API « %(name)s »") % {"name": obj.name},
            "opts": self.model._meta,
            "key": obj,
            "secret": obj.new_secret,  # type: ignore[attr-defined]
        }
        return TemplateResponse(request, "admin/api/apikey_created.html", context)

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        return False  # revoked, and kept: what each key did stays attributed
