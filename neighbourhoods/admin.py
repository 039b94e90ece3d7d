from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.postcodes import normalise_postcode
from neighbourhoods.models import AnchorOrganisation, Council, Neighbourhood, Postcode
from neighbourhoods.scoping import CouncilScopedHistoryAdmin, OfficerExportMixin, is_officer
from neighbourhoods.services import postcode_add, postcode_check_free, postcodes_import


@admin.register(Council)
class CouncilAdmin(OfficerExportMixin, CouncilScopedHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug"]}),
        (
            _("Privacy notice"),
            {"fields": ["data_controller", "ico_registration", "privacy_contact", "retention"]},
        ),
        (
            _("Accessibility statement"),
            {
                "fields": [
                    "accessibility_contact",
                    "accessibility_known_problems",
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
    list_filter = ["council"]
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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": neighbourhood,
            "title": _("Import postcodes for %(name)s") % {"name": neighbourhood.name},
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/neighbourhoods/import_postcodes.html", context)


class PostcodeForm(forms.ModelForm):
    class Meta:
        model = Postcode
        fields = ["neighbourhood", "postcode"]

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean(self):
        cleaned = super().clean()
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
    list_filter = ["council", "neighbourhood"]
    list_select_related = ["neighbourhood", "council"]
    search_fields = ["postcode", "neighbourhood__name"]
    raw_id_fields = ["neighbourhood"]

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
        fields = ["name", "council", "neighbourhoods", "staff"]

    def clean(self):
        cleaned = super().clean()
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
    list_filter = ["council"]
    list_select_related = ["council"]
    search_fields = ["name"]
    filter_horizontal = ["neighbourhoods", "staff"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("neighbourhoods")

    @admin.display(description=_("neighbourhoods served"))
    def neighbourhood_names(self, obj):
        return ", ".join(n.name for n in obj.neighbourhoods.all())

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "staff" and not request.user.is_superuser:
            # Staff accounts with no council, or this officer's council; never superusers.
            field.queryset = User.objects.filter(is_staff=True, is_superuser=False).filter(
                council__isnull=True
            ) | User.objects.filter(
                is_staff=True, is_superuser=False, council=request.user.council_id
            )
        return field

    def has_module_permission(self, request):
        return request.user.is_superuser or is_officer(request.user)
