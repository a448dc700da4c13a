from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from actions.views import home
from movement.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("", include("actions.urls")),
    path("", include("demands.urls")),
)
