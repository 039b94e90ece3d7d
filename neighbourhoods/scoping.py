"""Least privilege in the admin: an officer sees and edits only their own council's data.

Every admin of council data inherits ``CouncilScopedAdmin`` and names the path from its
model to the council. The same path scopes the list, search, autocomplete, exports,
every object URL (another council's object is a 404) and the choices in foreign-key and
many-to-many fields. Superusers see everything.
"""

import logging
from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from config.events import record_refusal
from config.spreadsheets import EXPORT_FORMATS

logger = logging.getLogger(__name__)

# How each model reaches its council; used to scope foreign-key choices too.
COUNCIL_PATHS = {
    "neighbourhoods.council": "pk",
    "neighbourhoods.neighbourhood": "council",
    "neighbourhoods.postcode": "council",
    "neighbourhoods.anchororganisation": "council",
    "neighbourhoods.anchorstaff": "anchor_organisations__council",
    "budgets.fund": "council",
    "budgets.round": "fund__council",
    "budgets.envelope": "round__fund__council",
    "proposals.proposal": "envelope__round__fund__council",
    "proposals.proposalreport": "proposal__envelope__round__fund__council",
    "voting.votercodebatch": "envelope__round__fund__council",
    "voting.envelopecount": "envelope__round__fund__council",
    "voting.proposalresult": "outcome__envelope__round__fund__council",
}


def council_path(model) -> str | None:
    return COUNCIL_PATHS.get(model._meta.label_lower)


def scope_to_council(queryset, user):
    """Narrow ``queryset`` to the user's council; superusers keep everything."""
    if user.is_superuser:
        return queryset
    path = council_path(queryset.model)
    if path is None or not getattr(user, "council_id", None):
        return queryset.none()
    return queryset.filter(**{path: user.council_id})


# The database's own guards (budgets and voting migrations) raise check_violation from
# these PL/pgSQL functions, with a message written for people.
GUARD_FUNCTIONS = (
    "budgets_envelope_guard",
    "budgets_fund_guard",
    "budgets_round_guard",
    "budgets_round_thresholds_guard",
    "budgets_round_dates_guard",
    "voting_count_is_final",
)


def guard_message(error: IntegrityError) -> str | None:
    """The plain message of a refusal by one of the database's guards, else None."""
    diag = getattr(error.__cause__, "diag", None)
    context = getattr(diag, "context", None) or ""
    if diag is not None and any(name in context for name in GUARD_FUNCTIONS):
        return diag.message_primary
    return None


def constraint_message(error: IntegrityError, model) -> str | None:
    """The message of the ``model``'s own constraint the database refused, else None."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    found = next((c for c in model._meta.constraints if c.name == name), None)
    return str(found.get_violation_error_message()) if found else None


def refusal_message(error: Exception, model) -> str | None:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, IntegrityError):
        return guard_message(error) or constraint_message(error, model)
    return None


def is_officer(user) -> bool:
    """accounts.User.is_officer, for any user (an anonymous one is never an officer)."""
    return bool(getattr(user, "is_officer", False))


def may_manage_council_data(user) -> bool:
    """Superusers everywhere; officers within their own council (``scope_to_council``)."""
    return user.is_superuser or is_officer(user)


# The admin mixins below go before a ModelAdmin; mypy checks their super() calls against one.
if TYPE_CHECKING:
    ModelAdminBase = admin.ModelAdmin
else:
    ModelAdminBase = object


class RefusalsAsMessagesMixin(ModelAdminBase):
    """A service's or the database's refusal (a guard, or one of the model's constraints
    a form did not check) becomes a message on the page, never a 500 and never "changed
    successfully": the change is rolled back and the officer is sent back to where they
    were, with the reason."""

    def _refusing(self, request, view, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (ValidationError, IntegrityError) as error:
            message = refusal_message(error, self.model)
            if message is None:
                raise
            record_refusal(
                logger,
                action=f"admin.{view.__name__}",
                model=self.model._meta.label,
                object_id=kwargs.get("object_id") or (args[0] if args else None),
                error=error,
            )
        self.message_user(request, message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, *args, **kwargs):
        return self._refusing(request, super().changeform_view, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        return self._refusing(request, super().changelist_view, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        return self._refusing(request, super().delete_view, *args, **kwargs)


def welsh_beside_english(fields) -> list:
    """Put each ``<field>_cy`` on the same row as ``<field>``, so officers see both."""
    rows: list = []
    for field in fields:
        if isinstance(field, str) and field.endswith("_cy") and field[:-3] in rows:
            rows[rows.index(field[:-3])] = (field[:-3], field)
        else:
            rows.append(field)
    return rows


class CouncilScopedAdmin(RefusalsAsMessagesMixin, admin.ModelAdmin):
    """Officers get full rights on their own council's objects of this model, nothing else."""

    def get_queryset(self, request):
        return scope_to_council(super().get_queryset(request), request.user)

    def get_fields(self, request, obj=None):
        return welsh_beside_english(super().get_fields(request, obj))

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another council's object must look exactly like one that does not exist.
        raise Http404

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_module_permission(self, request):
        return may_manage_council_data(request.user)

    def has_view_permission(self, request, obj=None):
        return may_manage_council_data(request.user)

    def has_add_permission(self, request):
        return may_manage_council_data(request.user)

    def has_change_permission(self, request, obj=None):
        return may_manage_council_data(request.user)

    def has_delete_permission(self, request, obj=None):
        return may_manage_council_data(request.user)

    def admin_page(self, request, template: str, *, title, **context) -> TemplateResponse:
        """One of this admin's own pages (a form, a preview, a report) in the admin's frame."""
        page = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title}
        return TemplateResponse(request, template, {**page, **context})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and council_path(db_field.related_model) is not None:
            field.queryset = scope_to_council(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and council_path(db_field.related_model) is not None:
            field.queryset = scope_to_council(field.queryset, request.user)
        return field


class ReadOnlyAdminMixin(ModelAdminBase):
    """Rows that only services write (counts, station sessions, held declarations):
    officers read them here and change them only through actions backed by a service."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CouncilScopedHistoryAdmin(CouncilScopedAdmin, SimpleHistoryAdmin):
    """A scoped admin that also shows the audit trail (who changed what, and when)."""

    def _check_in_scope(self, request, object_id):
        in_scope = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        # Deleted objects' history stays visible to superusers only.
        if not in_scope and not request.user.is_superuser:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def revert_refusal(self, request, obj) -> str | None:
        """Why this object may not be reverted to an earlier version; None if it may."""
        return None

    def revert_disabled(self, request, obj=None):
        if obj is not None and self.revert_refusal(request, obj):
            return True
        return super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_in_scope(request, object_id)
        reason = self.revert_refusal(request, self.get_object(request, object_id))
        if reason and request.method == "POST":
            self.message_user(request, reason, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        if reason:
            self.message_user(request, reason, messages.WARNING)
        view = transaction.atomic(super().history_form_view)
        return self._refusing(request, view, object_id, version_id, extra_context)


class OfficerExportMixin(ExportMixin):
    """Exports for officers (and superusers) only, scoped like the list, with spreadsheet
    formulas escaped."""

    @property
    def export_formats(self):
        return EXPORT_FORMATS

    def has_export_permission(self, request):
        return may_manage_council_data(request.user)
