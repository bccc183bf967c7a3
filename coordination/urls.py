from django.urls import path

from coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.coordination_home, name="home"),
    path("exports/<uuid:public_id>/", views.coordination_job, name="job"),
    path(
        "exports/<uuid:public_id>/download/", views.coordination_job_download, name="job_download"
    ),
    path("missions/<str:reference>/", views.coordination_mission, name="mission"),
    path(
        "missions/<str:reference>/export/<str:export_format>/",
        views.coordination_export,
        name="export",
    ),
]
