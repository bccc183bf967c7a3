from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("cv/", views.cv_download, name="cv"),
    path("vivier/", views.pool_update, name="pool"),
    path("vivier/quitter/<str:token>/", views.pool_leave_link, name="pool_leave"),
]
