from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.bilingual import Bilingual, welsh_char_field, welsh_text_field
from accounts.models import User
from accounts.postcodes import validate_postcode


class Council(Bilingual, models.Model):
    """A local authority. Officers belong to one council and see only its data."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_cy = welsh_char_field(_("name in Welsh"), 120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    # What the privacy notice and accessibility statement say about this council.
    data_controller = models.CharField(
        _("data controller"),
        max_length=200,
        blank=True,
        help_text=_(
            "The organisation responsible for residents' data, as registered with the ICO."
        ),
    )
    data_controller_cy = welsh_char_field(_("data controller in Welsh"), 200)
    ico_registration = models.CharField(_("ICO registration number"), max_length=20, blank=True)
    welsh_first = models.BooleanField(
        _("Welsh first"),
        default=False,
        help_text=_(
            "Put Welsh before English on letters and other bilingual documents, and link to "
            "your neighbourhoods' Welsh pages by default (Welsh Language Standards)."
        ),
    )
    privacy_contact = models.TextField(
        _("data protection contact"),
        blank=True,
        help_text=_("How residents reach your data protection officer: email, post, phone."),
    )
    privacy_contact_cy = welsh_text_field(_("data protection contact in Welsh"))
    retention = models.TextField(
        _("how long data is kept"),
        blank=True,
        help_text=_(
            "For example: accounts until the resident deletes them or 2 years after their "
            "last sign-in; ballots with the published results for 6 years."
        ),
    )
    retention_cy = welsh_text_field(_("how long data is kept, in Welsh"))
    accessibility_contact = models.TextField(
        _("accessibility contact"),
        blank=True,
        help_text=_("How residents report an accessibility problem or ask for another format."),
    )
    accessibility_contact_cy = welsh_text_field(_("accessibility contact in Welsh"))
    accessibility_known_problems = models.TextField(
        _("known accessibility problems"),
        blank=True,
        help_text=_("Problems your own testing found, one per line; shown on the statement."),
    )
    accessibility_known_problems_cy = welsh_text_field(_("known accessibility problems in Welsh"))
    accessibility_reviewed_on = models.DateField(
        _("accessibility statement last reviewed"), null=True, blank=True
    )

    history = HistoricalRecords()

    bilingual_fields = (
        "name",
        "data_controller",
        "privacy_contact",
        "retention",
        "accessibility_contact",
        "accessibility_known_problems",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")

    def __str__(self):
        return self.name

    @property
    def document_languages(self) -> tuple[str, str]:
        """The two languages of a bilingual document, in the order this council wants."""
        return ("cy", "en-gb") if self.welsh_first else ("en-gb", "cy")

    @property
    def link_language(self) -> str:
        """The language of links made outside a page (letters, QR codes): Welsh when the
        council asks for it, else the site's default."""
        return "cy" if self.welsh_first else settings.LANGUAGE_CODE


class NeighbourhoodQuerySet(models.QuerySet):
    def for_council(self, council):
        return self.filter(council=council)

    def for_postcode(self, postcode: str):
        return self.filter(postcodes__postcode=postcode)


class Neighbourhood(Bilingual, models.Model):
    """A small place whose residents share an envelope. Eligibility follows postcode."""

    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="neighbourhoods"
    )
    name = models.CharField(_("name"), max_length=120)
    name_cy = welsh_char_field(_("name in Welsh"), 120)
    slug = models.SlugField(_("slug"), max_length=120)
    population = models.PositiveIntegerField(_("population"), default=0)
    deprivation_weight = models.DecimalField(
        _("deprivation weight"),
        max_digits=6,
        decimal_places=3,
        default=1,
        help_text=_("1 is average; higher weights give more money when splitting by need."),
    )
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    objects = NeighbourhoodQuerySet.as_manager()
    history = HistoricalRecords()

    bilingual_fields = ("name",)

    class Meta:
        ordering = ["council__name", "name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "slug"], name="neighbourhoods_unique_slug_per_council"
            ),
            models.UniqueConstraint(
                fields=["council", "name"], name="neighbourhoods_unique_name_per_council"
            ),
            models.CheckConstraint(
                condition=models.Q(deprivation_weight__gt=0),
                name="neighbourhoods_deprivation_weight_positive",
                violation_error_message=_("The deprivation weight must be more than 0."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "neighbourhoods-detail",
            kwargs={"council_slug": self.council.slug, "slug": self.slug},
        )


class Postcode(models.Model):
    """One postcode of a neighbourhood; a postcode belongs to at most one per council."""

    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("neighbourhood"),
        on_delete=models.CASCADE,
        related_name="postcodes",
    )
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="+"
    )
    postcode = models.CharField(_("postcode"), max_length=8, validators=[validate_postcode])

    history = HistoricalRecords()

    class Meta:
        ordering = ["postcode"]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "postcode"], name="neighbourhoods_postcode_once_per_council"
            ),
        ]
        indexes = [models.Index(fields=["postcode"])]

    def __str__(self):
        return self.postcode


class AnchorOrganisation(Bilingual, models.Model):
    """A trusted local organisation whose staff run polling stations."""

    name = models.CharField(_("name"), max_length=160)
    name_cy = welsh_char_field(_("name in Welsh"), 160)
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.PROTECT, related_name="anchors"
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, verbose_name=_("neighbourhoods served"), related_name="anchors"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        related_name="anchor_organisations",
        blank=True,
    )

    history = HistoricalRecords(m2m_fields=[neighbourhoods, staff])

    bilingual_fields = ("name",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("anchor organisation")
        verbose_name_plural = _("anchor organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "name"], name="neighbourhoods_unique_anchor_per_council"
            ),
        ]

    def __str__(self):
        return self.name


class AnchorStaff(User):
    """Staff accounts of anchor organisations, as officers manage them in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("member of anchor staff")
        verbose_name_plural = _("anchor staff")
