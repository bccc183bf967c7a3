from django.urls import path

from selection import views

app_name = "selection"

# The token is in every address: config.logs masks it in the logs (TOKEN_PATHS).
urlpatterns = [
    path("partenaires/<str:token>/", views.partner_home, name="home"),
    path(
        "partenaires/<str:token>/candidats/<str:reference>/",
        views.partner_candidate,
        name="candidate",
    ),
    path(
        "partenaires/<str:token>/candidats/<str:reference>/documents/<uuid:public_id>/",
        views.partner_document,
        name="document",
    ),
    path("partenaires/<str:token>/dossier/", views.partner_dossier, name="dossier"),
    path(
        "partenaires/<str:token>/dossier/<uuid:public_id>/",
        views.partner_dossier_download,
        name="dossier_download",
    ),
]
