"""The one public route outside the language prefix: the campaign embed, for partners' pages to frame.
Its URL names its language itself (/embed/es/campaigns/<slug>/); movement/urls.py includes it."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:language>/campaigns/<slug:slug>/", views.campaign_embed, name="campaign_embed"),
]
