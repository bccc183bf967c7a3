"""What the public API says of a mission, a programme and a country: the public fields only,
each text in French and, where the mission is translated, in English."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.countries import country_name
from missions.languages import SOURCE_LANGUAGE, column
from missions.models import Mission, Programme

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TEXT_SCHEMA = {
    "type": "object",
    "properties": {
        code: {"type": "string", "nullable": code != SOURCE_LANGUAGE} for code in LANGUAGES
    },
    "required": LANGUAGES,
}
COUNTRY_SCHEMA = {
    "type": "object",
    "properties": {"code": {"type": "string", "example": "SN"}, "name": TEXT_SCHEMA},
    "required": ["code", "name"],
}


@extend_schema_field(TEXT_SCHEMA)
class TranslatedText(serializers.Field[Any, Any, Any, Any]):
    """A translated field in every language: ``{"fr": "…", "en": null}`` while the English
    column is empty (a reader of the English pages reads it in French)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        return instance

    def to_representation(self, instance: Any) -> dict[str, str | None]:
        name = str(self.source)
        return {
            code: getattr(instance, column(name, code)) or (None if code != SOURCE_LANGUAGE else "")
            for code in LANGUAGES
        }


def country(code: str) -> dict[str, Any]:
    """A country's code and its name in every language."""
    names = {}
    for language in LANGUAGES:
        with translation.override(language):
            names[language] = country_name(code, language)
    return {"code": code, "name": names}


@extend_schema_field(COUNTRY_SCHEMA)
class CountryValue(serializers.Field[Any, Any, Any, Any]):
    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> dict[str, Any]:
        return country(str(getattr(value, "code", value)))


class MissionSummarySerializer(serializers.ModelSerializer[Mission]):
    """A mission in the list: what a card of the catalogue shows, and its address."""

    url = serializers.SerializerMethodField()
    title = TranslatedText()
    host_country = CountryValue()
    city = TranslatedText()
    region = TranslatedText()
    programmes: Any = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Mission
        fields = (
            "reference", "url", "title", "status", "is_open", "organisation", "programmes",
            "host_country", "city", "region", "volunteer_status", "duration_months",
            "start_date", "start_month_only", "published_on", "deadline_date", "deadline_at",
            "updated_at",
        )  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, mission: Mission) -> str:
        """The mission's page, in French (its English page is under /en/)."""
        with translation.override(SOURCE_LANGUAGE):
            path = mission.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_is_open(self, mission: Mission) -> bool:
        """Whether applications are received now (published, before the deadline)."""
        now: dt.datetime = self.context["now"]
        return mission.is_open(now)


# The posting's sections, in the page's order (missions/sections.py).
SECTIONS = (
    "context", "summary", "expected_results", "tasks", "important_notice",
    "profile_education", "profile_experience", "skills", "languages_note", "profile_other",
    "conditions", "selection", "legal_basis", "application_subject",
)  # fmt: skip


class MissionSerializer(MissionSummarySerializer):
    """A mission with every public field: the whole posting, its dates and who may apply."""

    partners: Any = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    excluded_nationalities = serializers.SerializerMethodField()
    excluded_residences = serializers.SerializerMethodField()

    class Meta(MissionSummarySerializer.Meta):
        fields: tuple[str, ...] = (  # type: ignore[assignment]
            *MissionSummarySerializer.Meta.fields, "partners", "direction", "contract_date",
            "training_start", "training_end", "contact_email", "languages_required", "min_age",
            "min_experience_years", "excluded_nationalities", "excluded_residences", *SECTIONS,
        )  # fmt: skip

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        for name in SECTIONS:
            fields[name] = TranslatedText()
        return fields

    def get_excluded_nationalities(self, mission: Mission) -> list[str]:
        """ISO 3166 codes the mission itself excludes (the law's exclusions come on top)."""
        return [c.code for c in mission.excluded_nationalities]

    def get_excluded_residences(self, mission: Mission) -> list[str]:
        return [c.code for c in mission.excluded_residences]


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    admitted_nationalities = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ("slug", "name", "description", "min_age", "max_age", "admitted_nationalities")

    def get_admitted_nationalities(self, programme: Programme) -> list[str]:
        """ISO 3166 codes; empty: every nationality."""
        return [c.code for c in programme.admitted_nationalities]


class CountrySerializer(serializers.Serializer[Any]):
    """A country with published missions, and how many are open."""

    code = serializers.CharField()
    name = serializers.DictField(child=serializers.CharField())
    missions = serializers.IntegerField(help_text="Published or closed missions there.")
    open_missions = serializers.IntegerField()
