"""The officers' admin site: only council officers and superusers get past its door.

Anchor organisations' staff have staff accounts (they sign in with a password and two-factor
to run polling stations) but no business in the officers' admin. Django's own check lets any
staff account in and leaves each page to refuse; here every page of the site, present or
future, answers them with the plain 403 page instead, before any view runs.
"""

from functools import update_wrapper

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied


def is_admin_user(user) -> bool:
    return user.is_superuser or bool(getattr(user, "is_officer", False))


class OfficersAdminSite(AdminSite):
    site_header = "Neighbourhood Democracy: officers"
    site_title = "Neighbourhood Democracy"

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)
        if view.__name__ == "logout":
            return guarded  # anyone signed in may sign out

        def inner(request, *args, **kwargs):
            user = request.user
            if user.is_active and user.is_staff and not is_admin_user(user):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return update_wrapper(inner, guarded)


class OfficersAdminConfig(AdminConfig):
    default_site = "config.admin_site.OfficersAdminSite"
