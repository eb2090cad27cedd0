from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from tsunagu.core import views as core_views
from tsunagu.directory import views_public

admin.site.site_header = "つなぐ Tsunagu 管理"
admin.site.site_title = "つなぐ Tsunagu"

urlpatterns = [
    # Residents arrive here without an account: a landing page leads them to the public
    # directory (signed-in users go on to their dashboard).
    path("", views_public.landing, name="home"),
    path("favicon.ico", RedirectView.as_view(url=static("tsunagu/favicon.ico"), permanent=True)),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("tsunagu.accounts.urls")),
    path("dashboard/", include("tsunagu.dashboard.urls")),
    path("areas/", include("tsunagu.areas.urls")),
    path("directory/io/", include("tsunagu.directory.urls_import")),
    path("directory/", include("tsunagu.directory.urls")),
    path("issues/", include("tsunagu.regional_issues.urls")),
    path("bodies/", include("tsunagu.bodies.urls")),
    path("engagements/", include("tsunagu.engagements.urls")),
    path("mobility/", include("tsunagu.mobility.urls")),
    path("public/bodies/", include("tsunagu.bodies.urls_public")),
    path("public/", include("tsunagu.directory.urls_public")),
    path("api/v1/", include("tsunagu.api_urls")),
    path("admin/", admin.site.urls),
]
