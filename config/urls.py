import re

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.static import serve

from config.health import healthz

# Admin sign-in goes through allauth so officers get rate limits and two-factor checks.
# django-stubs declares AdminSite.login a method, which a site may still replace.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", include("neighbourhoods.urls")),
    path("", include("budgets.urls")),
    path("", include("voting.urls")),
    path("", include("voting.results.urls")),
    path("", include("stations.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("proposals.urls")),
    prefix_default_language=False,
)


@cache_control(public=True, max_age=31_536_000, immutable=True)
def media(request, path):
    """Photos on local disk, served by the app in every environment, production included:
    their names are random and they never change, so they may be cached for a year."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if not settings.MEDIA_S3_BUCKET:
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", media, name="media")
    )

handler500 = "config.errors.server_error"
handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
