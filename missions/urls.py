from django.urls import path

from missions import views
from missions.feeds import LatestMissionsFeed

app_name = "missions"

urlpatterns = [
    path("", views.mission_list, name="list"),
    path("feed/", LatestMissionsFeed(), name="feed"),
    path("<str:reference>/", views.mission_detail, name="detail"),
    path("<str:reference>/review-request/", views.review_request, name="review_request"),
]
