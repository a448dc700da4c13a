from captcha.views import captcha_image
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from movement.health import healthz
from movement.sitemaps import SITEMAPS
from movement.views import hello, home, privacy, robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/", include("api.urls")),
    path("anymail/", include("actions.webhook_urls")),
    path("embed/", include("actions.embed_urls")),
    # The pictures of the signup challenge; not the library's refresh (a row per request, for its script)
    # nor its audio (flite is not installed).
    path("captcha/image/<slug:key>/", captcha_image, {"scale": 1}, name="captcha-image"),
]
if settings.BENCHMARK_VIEWS:
    urlpatterns.append(path("bench/hello", hello))
urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("privacy/", privacy, name="privacy"),
    path("", include("actions.urls")),
    path("", include("demands.urls")),
    path("", include("hosting.urls")),
)
