from django.urls import path

from review import views

app_name = "interviews"

urlpatterns = [
    path("entretien/<str:token>/", views.interview_choose, name="choose"),
]
