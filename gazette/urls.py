from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from gazette.core.security_headers import csp_report

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("comments/", include("gazette.comments.urls")),
    path("captcha/", include("gazette.comments.control_code")),
    path("", include("gazette.articles.urls")),
    path("", include("gazette.articles.feed_urls")),
    path("", include("gazette.articles.city_urls")),
    path("", include("gazette.rates.urls")),
    path("", include("gazette.seo.urls")),
    path("search/", include("gazette.search.urls")),
    path(settings.GAZETTE_CSP_REPORT_URL.strip("/") + "/", csp_report, name="csp_report"),
]

if settings.DEBUG or getattr(settings, "GAZETTE_SERVE_MEDIA", False):
    # Development and browser tests only; in production the web server serves /media/.
    from django.views.static import serve

    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

if getattr(settings, "GAZETTE_DJANGO_ADMIN", False):
    # Django's own admin, for development only: editors and administrators use Wagtail's.
    urlpatterns.insert(0, path("django-admin/", admin.site.urls))

urlpatterns += [path("", include(wagtail_urls))]
