from board import views
from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("hello/", views.hello),
    path("missions/", views.mission_list, name="mission-list"),
    path("missions/<int:pk>/", views.mission_detail, name="mission-detail"),
    path("missions/<int:pk>/apply/", views.mission_apply, name="mission-apply"),
    path("export/applications.csv", views.export_csv),
    path("export/applications.xlsx", views.export_xlsx),
    path("admin/", admin.site.urls),
]
