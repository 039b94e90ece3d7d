"""Text from the database on a page in the other language: council names and notes with
no translation, residents' ideas, officers' reasons. Each must sit inside an element
whose lang says its language, so a screen reader reads it in the right voice."""

import re

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
    for model in [*BILINGUAL_MODELS, Proposal]:
        for obj in model.objects.all():
            texts.extend(getattr(obj, field) for field in model.bilingual_fields)
    for proposal in Proposal.objects.exclude(language="cy"):
        texts.extend([proposal.title, proposal.summary, proposal.description])
    return {_normal(line) for text in texts for line in text.splitlines() if line.strip()}


class _Unmarked(_VisibleText):
    """What a reader meets outside any lang="en…" element. The <title> is left out: it is
    a single string, so a name in it cannot carry its own lang."""

    SKIP = _VisibleText.SKIP | {"title"}


def unmarked_english(html: str, texts: set[str] | None = None) -> list[str]:
    """The database's English that a Welsh page shows without lang="en…" around it."""
    parser = _Unmarked()
    parser.feed(html)
    shown = _normal(" ".join(parser.parts))
    texts = database_english() if texts is None else texts
    return sorted(t for t in texts if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", shown))
