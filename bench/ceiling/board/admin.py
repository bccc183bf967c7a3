from django.contrib import admin

from .models import Application, Mission, Organisation


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = (
        "full_name",
        "email",
        "mission",
        "organisation",
        "status",
        "created_at",
    )
    list_filter = ("status",)
    list_select_related = ("mission__organisation",)
    search_fields = ("full_name", "email")
    raw_id_fields = ("mission",)

    @admin.display(ordering="mission__organisation__name")
    def organisation(self, application: Application) -> Organisation:
        return application.mission.organisation


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "organisation",
        "location",
        "published",
        "created_at",
    )
    list_select_related = ("organisation",)


admin.site.register(Organisation)
