from django.urls import path

from alerts import views

app_name = "alerts"

# The token is in the address: config.logs masks it in the logs (TOKEN_PATHS).
urlpatterns = [
    path("", views.my_alerts, name="mine"),
    path("nouvelle/", views.alert_new, name="new"),
    path("confirmer/<str:token>/", views.alert_confirm, name="confirm"),
    path("desabonner/<str:token>/", views.alert_unsubscribe, name="unsubscribe"),
    path("gerer/<str:token>/", views.alert_manage, name="manage"),
]
