"""Text from the database on a page in the other language: council names and notes with
no translation, residents' ideas, officers' reasons. Each must sit inside an element
whose lang says its language, so a screen reader reads it in the right voice."""

import re

from accounts.models import User
from budgets.models import Fund, Round
from neighbourhoods.models import AnchorOrganisation, Council, Neighbourhood
from proposals.models import Proposal
from stations.models import PollingStation
from tests.welsh.catalogues import _normal, _VisibleText

BILINGUAL_MODELS = [Council, Neighbourhood, AnchorOrganisation, Fund, Round, PollingStation]


def database_english() -> set[str]:
    """Every piece of English text the database holds for pages: the English of each
    bilingual field, and the ideas residents wrote in English, a line at a time."""
    texts: list[str] = []
    same_in_welsh: set[str] = set()  # an email address, a phone number: not English
    for model in [*BILINGUAL_MODELS, Proposal]:
        for obj in model.objects.all():
            for field in model.bilingual_fields:
                texts.append(getattr(obj, field))
                same_in_welsh.update(_lines(getattr(obj, f"{field}_cy")))
    for proposal in Proposal.objects.exclude(language="cy"):
        texts.extend([proposal.title, proposal.summary, proposal.description])
        texts.extend([proposal.location_description, proposal.photo_description])
    return {line for text in texts for line in _lines(text)} - same_in_welsh


def _lines(text: str) -> set[str]:
    return {_normal(line) for line in text.splitlines() if line.strip()}


def people_s_names() -> set[str]:
    names = [*User.objects.values_list("display_name", flat=True)]
    names += Proposal.objects.values_list("resident_name", flat=True)
    return {_normal(name) for name in names if name.strip()}


class _Unmarked(_VisibleText):
    """What a reader meets outside any lang="en…" element. The <title> is left out: it is
    a single string, so a name in it cannot carry its own lang."""

    SKIP = _VisibleText.SKIP | {"title"}


def unmarked_english(html: str, texts: set[str] | None = None) -> list[str]:
    """The database's English that a Welsh page shows without lang="en…" around it."""
    parser = _Unmarked()
    parser.feed(html)
    shown = _normal(" ".join(parser.parts))
    # People's names are in no language ("Splott Community Hub volunteers" signs an idea).
    for name in sorted(people_s_names(), key=len, reverse=True):
        shown = shown.replace(name, " ")
    texts = database_english() if texts is None else texts
    return sorted(t for t in texts if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", shown))
