from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import PostcodeField


class PostcodeSearchForm(forms.Form):
    postcode = PostcodeField(
        label=_("Your postcode"), error_messages={"required": _("Enter your postcode")}
    )
