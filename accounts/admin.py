from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "home_postcode", "council", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "council"]
    list_select_related = ["council"]
    search_fields = ["email", "display_name", "home_postcode"]
    raw_id_fields = ["council"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Resident details"), {"fields": ["display_name", "home_postcode"]}),
        (
            _("Access"),
            {"fields": ["council", "is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups"]
