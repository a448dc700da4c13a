from django.urls import path

from . import views
from .feeds import ActionFeed

app_name = "actions"

urlpatterns = [
    path("actions/", views.action_list, name="action_list"),
    path("actions/feed.atom", ActionFeed(), name="action_feed"),
    path("actions/<slug:slug>/", views.action_detail, name="action_detail"),
    path("actions/<slug:slug>/calendar.ics", views.action_calendar, name="action_calendar"),
    path("calendar/actions.ics", views.upcoming_calendar, name="upcoming_calendar"),
    path("calendar/<str:country>.ics", views.country_calendar, name="country_calendar"),
    path("campaigns/<slug:slug>/calendar.ics", views.campaign_calendar, name="campaign_calendar"),
    path("cities/<slug:slug>/calendar.ics", views.city_calendar, name="city_calendar"),
    path("actions/<slug:slug>/signup/", views.signup_create, name="signup_create"),
    path("actions/<slug:slug>/signup/sent/", views.signup_sent, name="signup_sent"),
    path("signups/confirm/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("signups/manage/<str:token>/", views.signup_manage, name="signup_manage"),
    path("cities/<slug:slug>/", views.city_detail, name="city_detail"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign_detail"),
]
