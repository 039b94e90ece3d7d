"""What officers and staff read about paper ballot batches: counts, never choices."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from stations import paper
from stations.paper_models import PaperBatch


@dataclass(frozen=True)
class BatchFigures:
    batch: PaperBatch
    first: int  # papers entered by the first keying
    second: int  # and by the second
    checked: int  # papers both keyings read alike, or decided by a third person
    mismatched: int  # papers the keyings read differently
    spoilt: int  # checked papers that are spoilt or unclear
    keyed_by: frozenset[int]  # who keyed it (user ids), first or second

    @property
    def waiting(self) -> bool:
        return not self.batch.is_settled


def _figures(batch: PaperBatch) -> BatchFigures:
    keyings = sorted(batch.keyings.all(), key=lambda k: k.number)
    entries = [{e.position: e for e in k.entries.all()} for k in keyings]
    first, second = [*entries, {}, {}][:2]
    both = [n for n in first if n in second]
    alike = [n for n in both if paper.same_reading(first[n], second[n])]
    if batch.status == PaperBatch.Status.CHECKED:
        papers = list(batch.checked_papers.all())
        checked, spoilt = len(papers), sum(1 for p in papers if p.spoilt)
    else:
        checked, spoilt = len(alike), sum(1 for n in alike if first[n].spoilt_reason)
    keyed_by = frozenset(k.keyed_by_id for k in keyings)
    return BatchFigures(
        batch, len(first), len(second), checked, len(both) - len(alike), spoilt, keyed_by
    )


def batch_figures(batches) -> list[BatchFigures]:
    """Each batch's figures, in a fixed few queries however many batches."""
    batches = batches.prefetch_related("keyings__entries", "checked_papers")
    return [_figures(batch) for batch in batches]


@dataclass
class SourceFigures:
    """One station's batches (or the postal returns'), with their totals."""

    label: str
    batches: list[BatchFigures] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(b, name) for b in self.batches)

    @property
    def papers(self) -> int:
        return sum(b.batch.papers for b in self.batches)

    @property
    def checked(self) -> int:
        return self.total("checked")

    @property
    def mismatched(self) -> int:
        return self.total("mismatched")

    @property
    def spoilt(self) -> int:
        return self.total("spoilt")

    @property
    def waiting(self) -> int:
        return sum(1 for b in self.batches if b.waiting)


def paper_figures_by_round(round_ids) -> dict[int, list[SourceFigures]]:
    """Per round: its paper batches grouped by station (postal returns last)."""
    batches = PaperBatch.objects.filter(envelope__round_id__in=round_ids).select_related(
        "envelope__neighbourhood", "session__station"
    )
    by_round: dict[int, dict[object, SourceFigures]] = {}
    for figures in batch_figures(batches.order_by("pk")):
        batch = figures.batch
        station = batch.session.station if batch.session is not None else None
        key = station.pk if station else None
        label = station.place if station else _("Postal returns")
        sources = by_round.setdefault(batch.envelope.round_id, {})
        sources.setdefault(key, SourceFigures(label)).batches.append(figures)
    return {
        round_id: sorted(sources.values(), key=lambda s: (s.label == _("Postal returns"), s.label))
        for round_id, sources in by_round.items()
    }


def batches_keyed_by(user, figures: list[BatchFigures]) -> set[int]:
    """Of these batches, the ones this person keyed (first or second), from the keyings
    ``batch_figures`` fetched already."""
    return {f.batch.pk for f in figures if user.pk in f.keyed_by}
