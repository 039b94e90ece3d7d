import functools
from typing import ClassVar, cast

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import connection, models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.postcodes import validate_postcode
from config.sql import ModelColumns

# Each language named in itself, so a reader finds theirs whatever page they are on.
LANGUAGE_CHOICES = [("en-gb", "English"), ("cy", "Cymraeg")]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def signed_in(self, pk) -> "User | None":
        """The person with this id, as the sign-in backends load them on every request:
        SQL written once per process, as the ORM's building of this query cost more CPU
        than the rest of a small request's queries. None if there is no such person."""
        columns, meta = _user_columns(), self.model._meta
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT {columns.sql} FROM "{meta.db_table}" WHERE "{meta.pk.column}" = %s',
                [meta.pk.get_prep_value(pk)],
            )
            row = cursor.fetchone()
        return None if row is None else cast("User", columns.instance(row))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Every account needs an email address.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


@functools.cache
def _user_columns() -> ModelColumns:
    return ModelColumns(User, f'"{User._meta.db_table}"')


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: residents (by emailed code), officers and anchor staff (password
    and two-factor). Residents are known by email, a display name and a home postcode."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    home_postcode = models.CharField(
        _("home postcode"), max_length=8, blank=True, validators=[validate_postcode]
    )
    council = models.ForeignKey(
        "neighbourhoods.Council",
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
        help_text=_("Officers belong to one council and see only its data."),
    )
    language = models.CharField(
        _("language for emails and letters"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        default="en-gb",
        help_text=_("Every email and letter we send you is written in this language."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message=_("An account with this email address already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(council__isnull=True) | models.Q(is_staff=True),
                name="accounts_user_council_only_for_staff",
                violation_error_message=_("Only staff accounts belong to a council."),
            ),
        ]

    def __str__(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name or self.email

    @property
    def is_officer(self) -> bool:
        """A council officer: an active staff account tied to one council. The one home of
        this rule; neighbourhoods.scoping and every service ask here."""
        return self.is_active and self.is_staff and self.council_id is not None

    @property
    def is_anchor_staff(self) -> bool:
        """Staff of an anchor organisation, who run polling stations and key paper ballots.
        Residents cost no query."""
        return self.is_staff and self.anchor_organisations.exists()
