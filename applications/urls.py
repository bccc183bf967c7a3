from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("missions/<str:reference>/apply/", views.apply, name="apply"),
    path("missions/<str:reference>/apply/questions/", views.questions, name="questions"),
    path("missions/<str:reference>/apply/review/", views.review, name="review"),
    path("missions/<str:reference>/apply/submit/", views.submit, name="submit"),
    path("me/applications/<str:application_reference>/withdraw/", views.withdraw, name="withdraw"),
    path("documents/<uuid:public_id>/", views.document_download, name="document"),
    path("me/data/", views.personal_data, name="personal_data"),
    path("me/delete/", views.account_delete, name="account_delete"),
]
