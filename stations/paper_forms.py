from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.paper_models import PAPERS_MAX

POSTAL = "postal"


class BatchForm(forms.Form):
    envelope = forms.TypedChoiceField(label=_("Which neighbourhood the papers are for"), coerce=int)
    source = forms.ChoiceField(
        label=_("Where the papers come from"),
        help_text=_("A station session, or a postal return (council officers only)."),
    )
    postal_return = forms.CharField(
        label=_("Name of the postal return"),
        help_text=_("Only for papers returned by post, for example “post of 3 June”."),
        required=False,
        max_length=120,
    )
    papers = forms.IntegerField(
        label=_("Number of papers in the batch"),
        help_text=_("Count them by hand first. Between 1 and %(most)d.") % {"most": PAPERS_MAX},
        min_value=1,
        max_value=PAPERS_MAX,
    )

    def __init__(self, *args, envelopes, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["envelope"]).choices = [
            (e.pk, f"{e.neighbourhood.name} ({e.round.name})") for e in envelopes
        ]
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            *((str(s.pk), str(s)) for s in sessions),
            (POSTAL, _("A postal return")),
        ]

    @property
    def session_id(self) -> int | None:
        source = self.cleaned_data["source"]
        return None if source == POSTAL else int(source)


class PaperForm(forms.Form):
    """Spoilt or not; the choices are read from the same fields as the online ballot."""

    spoilt_reason = forms.CharField(
        label=_("If the paper is spoilt or unclear, say why"),
        help_text=_(
            "For example: blank, too many crosses, cannot tell which box. Leave "
            "empty for a paper you can read."
        ),
        required=False,
        max_length=200,
    )
