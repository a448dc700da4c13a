from django.urls import path

from . import views
from .feeds import OutcomeFeed

app_name = "demands"

urlpatterns = [
    path("demands/", views.demand_list, name="demand_list"),
    path("demands/<slug:slug>/", views.demand_detail, name="demand_detail"),
    path("outcomes/", views.outcome_list, name="outcome_list"),
    path("outcomes/feed.atom", OutcomeFeed(), name="outcome_feed"),
    path("outcomes/<slug:slug>/", views.outcome_detail, name="outcome_detail"),
]
