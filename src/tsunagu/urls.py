"""The project's URLs: its own few, then every app's, as each app registered them in its
``AppConfig.ready()`` (see :mod:`tsunagu.core.plugins`). No app is named here."""

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from tsunagu.core import views as core_views
from tsunagu.core.operations.views import metrics_page
from tsunagu.core.plugins import hooks, url_mounts

admin.site.site_header = "つなぐ Tsunagu 管理"
admin.site.site_title = "つなぐ Tsunagu"

# "/": residents arrive here without an account; the app providing the landing page leads
# them on (the directory: to the public pages; signed-in users go on to their dashboard).
_landing_pages = hooks("landing_page")
if len(_landing_pages) != 1:
    raise ImproperlyConfigured(
        f"Exactly one app must register the landing_page hook ({len(_landing_pages)} did)."
    )

urlpatterns = [
    path("", _landing_pages[0], name="home"),
    path("favicon.ico", RedirectView.as_view(url=static("tsunagu/favicon.ico"), permanent=True)),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", metrics_page, name="metrics"),
    *(path(mount.prefix, include(mount.module)) for mount in url_mounts()),
    path("api/v1/", include("tsunagu.api_urls")),
    path("admin/", admin.site.urls),
]
