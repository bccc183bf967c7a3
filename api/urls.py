from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import applications, exports, problems, views


class Reference:
    """A mission's or an application's reference (3S1284, 3S1284-0001): anything else,
    a NUL byte say, is an address that names nothing (404), never a query."""

    regex = "[A-Za-z0-9-]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(Reference, "ref")

app_name = "api"

urlpatterns = [
    path("missions/", views.mission_list, name="missions"),
    path("missions/<ref:reference>/", views.mission_detail, name="mission"),
    path("programmes/", views.programme_list, name="programmes"),
    path("countries/", views.country_list, name="countries"),
    path("applications/", applications.ApplicationList.as_view(), name="applications"),
    path(
        "applications/<ref:reference>/",
        applications.ApplicationDetail.as_view(),
        name="application",
    ),
    path(
        "applications/<ref:reference>/documents/<uuid:public_id>/",
        applications.DocumentDownload.as_view(),
        name="document",
    ),
    path(
        "applications/<ref:reference>/stage/",
        applications.StageMove.as_view(),
        name="stage_move",
    ),
    path("exports/", exports.ExportStart.as_view(), name="exports"),
    path("exports/<uuid:public_id>/", exports.ExportDetail.as_view(), name="export"),
    path("exports/<uuid:public_id>/file/", exports.ExportFile.as_view(), name="export_file"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its settings in a file of its own: no inline script (config/csp.py).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", problems.not_found),
]
