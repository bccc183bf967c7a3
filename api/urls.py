from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import problems, views

app_name = "api"

urlpatterns = [
    path("missions/", views.mission_list, name="missions"),
    path("missions/<str:reference>/", views.mission_detail, name="mission"),
    path("programmes/", views.programme_list, name="programmes"),
    path("countries/", views.country_list, name="countries"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its settings in a file of its own: no inline script (config/csp.py).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", problems.not_found),
]
