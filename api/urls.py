from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_format_suffixes = False  # JSON only
router.register("campaigns", views.CampaignViewSet)
router.register("actions", views.ActionViewSet)
router.register("cities", views.CityViewSet)
router.register("demands", views.DemandViewSet)
router.register("outcomes", views.OutcomeViewSet)

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
