from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lernplattform.core.media import media_serve
from lernplattform.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include(("lernplattform.api", "api"), namespace="api")),
    path("konto/", include("lernplattform.accounts.urls")),
    path("konto/benachrichtigungen/", include("lernplattform.notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Our djangojs catalogue only (LOCALE_PATHS): naming an app without JS strings leaves out the
    # catalogues of Wagtail and the Django admin, which would quadruple the file for German.
    path("i18n/js/", JavaScriptCatalog.as_view(packages=["lernplattform.portal"]), name="javascript-catalog"),
    path("tests/", include("courses.assessment.quiz_urls")),
    path("", include("lernplattform.portal.urls")),
    path("", include("courses.h5p.urls")),
    path("lernen/", include("courses.progress.urls")),
    path("zertifikate/", include("courses.certificates.urls")),
    path("auswertungen/", include("lernplattform.reports.urls")),
]

# User uploads, caged (lernplattform.core.media); answers 404 unless SERVE_MEDIA is on.
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_serve, name="media")]

# Wagtail's page serving comes last: it matches every remaining path.
urlpatterns += [path("", include(wagtail_urls))]
