from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.postcodes import normalise_postcode
from neighbourhoods.models import (
    AnchorOrganisation,
    AnchorStaff,
    Council,
    Neighbourhood,
    Postcode,
)
from neighbourhoods.scoping import (
    CouncilScopedAdmin,
    CouncilScopedHistoryAdmin,
    OfficerExportMixin,
    may_manage_council_data,
    scope_to_council,
)
from neighbourhoods.services import (
    anchor_staff_invite,
    anchor_staff_set_active,
    postcode_add,
    postcode_check_free,
    postcodes_import,
)


@admin.register(Council)
class CouncilAdmin(OfficerExportMixin, CouncilScopedHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        # Each Welsh field sits beside its English one.
        (None, {"fields": [("name", "name_cy"), "slug", "welsh_first"]}),
        (
            _("Privacy notice"),
            {
                "fields": [
                    ("data_controller", "data_controller_cy"),
                    "ico_registration",
                    ("privacy_contact", "privacy_contact_cy"),
                    ("retention", "retention_cy"),
                ]
            },
        ),
        (
            _("Accessibility statement"),
            {
                "fields": [
                    ("accessibility_contact", "accessibility_contact_cy"),
                    ("accessibility_known_problems", "accessibility_known_problems_cy"),
                    "accessibility_reviewed_on",
                ]
            },
        ),
    ]

    # Officers may rename their own council but never create or delete one.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class PostcodeImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of postcodes"),
        help_text=_("One postcode per row in the first column. A header row is allowed."),
    )


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(OfficerExportMixin, CouncilScopedHistoryAdmin):
    list_display = ["name", "council", "population", "deprivation_weight", "postcode_count"]
    list_filter = [("council", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["council"]
    search_fields = ["name", "postcodes__postcode"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["council"]
    change_form_template = "admin/neighbourhoods/neighbourhood/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(postcode_total=Count("postcodes"))

    @admin.display(description=_("postcodes"), ordering="postcode_total")
    def postcode_count(self, obj):
        return obj.postcode_total

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/import-postcodes/",
                self.admin_site.admin_view(self.import_postcodes_view),
                name="neighbourhoods_neighbourhood_import_postcodes",
            )
        ]
        return urls + super().get_urls()

    def import_postcodes_view(self, request, object_id):
        neighbourhood = self.get_object(request, object_id)
        if not self.has_change_permission(request, neighbourhood):
            raise PermissionDenied
        form = PostcodeImportForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
        )
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                report = postcodes_import(
                    neighbourhood_id=neighbourhood.pk, raw=form.cleaned_data["file"].read()
                )
            except ValidationError as error:
                form.add_error("file", error)
        return self.admin_page(
            request,
            "admin/neighbourhoods/import_postcodes.html",
            title=_("Import postcodes for %(name)s") % {"name": neighbourhood.name},
            original=neighbourhood,
            form=form,
            report=report,
        )


class PostcodeForm(forms.ModelForm):
    class Meta:
        model = Postcode
        fields = ["neighbourhood", "postcode"]

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        neighbourhood, postcode = cleaned.get("neighbourhood"), cleaned.get("postcode")
        if neighbourhood and postcode:
            try:
                postcode_check_free(council_id=neighbourhood.council_id, postcode=postcode)
            except ValidationError as error:
                self.add_error("postcode", error)
        return cleaned


@admin.register(Postcode)
class PostcodeAdmin(OfficerExportMixin, CouncilScopedHistoryAdmin):
    form = PostcodeForm
    list_display = ["postcode", "neighbourhood", "council"]
    list_filter = [
        ("council", admin.RelatedOnlyFieldListFilter),
        ("neighbourhood", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["neighbourhood", "council"]
    search_fields = ["postcode", "neighbourhood__name"]
    autocomplete_fields = ["neighbourhood"]

    def get_readonly_fields(self, request, obj=None):
        return ["postcode", "neighbourhood"] if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = postcode_add(
            neighbourhood_id=form.cleaned_data["neighbourhood"].pk,
            postcode=form.cleaned_data["postcode"],
        )
        obj.pk, obj.council_id = saved.pk, saved.council_id


class AnchorOrganisationForm(forms.ModelForm):
    class Meta:
        model = AnchorOrganisation
        fields = ["name", "name_cy", "council", "neighbourhoods", "staff"]
        # Plain labelled checkboxes: the admin's two-box chooser fails accessibility checks.
        widgets = {
            "neighbourhoods": forms.CheckboxSelectMultiple,
            "staff": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        council = cleaned.get("council")
        if council is not None:
            strays = [
                n.name for n in cleaned.get("neighbourhoods", []) if n.council_id != council.pk
            ]
            if strays:
                self.add_error(
                    "neighbourhoods",
                    _("These neighbourhoods belong to another council: %(names)s.")
                    % {"names": ", ".join(strays)},
                )
        return cleaned


@admin.register(AnchorOrganisation)
class AnchorOrganisationAdmin(OfficerExportMixin, CouncilScopedHistoryAdmin):
    form = AnchorOrganisationForm
    list_display = ["name", "council", "neighbourhood_names"]
    list_filter = [("council", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["council"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("neighbourhoods")

    @admin.display(description=_("neighbourhoods served"))
    def neighbourhood_names(self, obj):
        return ", ".join(n.name for n in obj.neighbourhoods.all())

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "staff" and not request.user.is_superuser:
            # Only people already on the staff of this council's anchors; new people are
            # added with "Invite anchor staff".
            field.queryset = anchor_staff_of(request.user.council_id)
        return field

    def has_module_permission(self, request):
        return may_manage_council_data(request.user)


def anchor_staff_of(council_id):
    """Staff accounts of the council's anchor organisations: never officers or superusers."""
    return User.objects.filter(
        pk__in=AnchorOrganisation.staff.through.objects.filter(
            anchororganisation__council_id=council_id
        ).values("user_id"),
        is_staff=True,
        is_superuser=False,
        council__isnull=True,
    )


class AnchorStaffInviteForm(forms.ModelForm):
    anchor = forms.ModelChoiceField(
        label=_("Anchor organisation"), queryset=AnchorOrganisation.objects.none()
    )

    class Meta:
        model = AnchorStaff
        fields = ["email", "display_name"]
        labels = {"display_name": _("Name")}

    def _post_clean(self):
        # anchor_staff_invite decides: it may add an existing staff account to another
        # anchor, and refuses other existing accounts with the reason.
        pass


@admin.register(AnchorStaff)
class AnchorStaffAdmin(CouncilScopedAdmin):
    """Officers invite their council's anchor staff by email, and can stop or restore
    their access. Nobody's account is deleted here."""

    form = AnchorStaffInviteForm
    list_display = ["email", "display_name", "anchor_names", "is_active", "has_two_factor"]
    list_filter = ["is_active"]
    search_fields = ["email", "display_name"]
    actions = ["deactivate", "reactivate"]
    readonly_fields = ["email", "display_name", "anchor_names", "is_active", "last_login"]

    def get_queryset(self, request):
        staff = AnchorStaff.objects.filter(is_staff=True, is_superuser=False, council__isnull=True)
        if not request.user.is_superuser:
            staff = staff.filter(pk__in=anchor_staff_of(request.user.council_id))
        return staff.prefetch_related("anchor_organisations", "authenticator_set")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "display_name", "anchor"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        anchor_field = form.base_fields.get("anchor")
        if obj is None and isinstance(anchor_field, forms.ModelChoiceField):
            anchor_field.queryset = scope_to_council(AnchorOrganisation.objects.all(), request.user)
        return form

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("anchor organisations"))
    def anchor_names(self, obj):
        return ", ".join(anchor.name for anchor in obj.anchor_organisations.all())

    @admin.display(description=_("two-factor set up"), boolean=True)
    def has_two_factor(self, obj):
        return bool(obj.authenticator_set.all())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        user = anchor_staff_invite(
            anchor_id=data["anchor"].pk,
            email=data["email"],
            display_name=data.get("display_name", ""),
            invited_by=request.user,
        )
        obj.pk, obj.email = user.pk, user.email

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _("An invitation is on its way to %(email)s.") % {"email": obj.email},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:neighbourhoods_anchorstaff_changelist"))

    def _set_active(self, request, queryset, active):
        for user in queryset:
            anchor_staff_set_active(user_id=user.pk, active=active, officer=request.user)
        self.message_user(
            request,
            ngettext("%(count)d account changed.", "%(count)d accounts changed.", len(queryset))
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Stop the selected staff signing in"))
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, False)

    @admin.action(description=_("Let the selected staff sign in again"))
    def reactivate(self, request, queryset):
        self._set_active(request, queryset, True)
