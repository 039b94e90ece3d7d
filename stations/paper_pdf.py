"""The printable paper ballot of an envelope: one A4 paper (more if the list is long),
every instruction in both languages (Welsh first when the council asks for it), the
proposals with their costs and a box each. Drawn with the same PDF library and font as
the voter-code letters."""

from dataclasses import dataclass
from typing import BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from budgets.money import format_pence
from voting import letters
from voting.results.explanations import before_voting
from voting.rules import BallotRule
from voting.selectors import ballot_proposals

FONT = letters.FONT
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
WIDTH = PAGE_WIDTH - 2 * MARGIN
BOX = 9 * mm


@dataclass(frozen=True)
class PaperText:
    heading: str
    budget: str
    rule: str
    counting: str
    how_to_mark: str
    hand_in: str
    staff_number: str
    proposals_heading: str


def paper_text(envelope, language: str) -> PaperText:
    rule = BallotRule.for_envelope(envelope)
    with translation.override(language):
        place = envelope.neighbourhood.local.name
        if rule.uses_points:
            how_to_mark = _(
                "Write in the box beside a proposal how many points you give it. "
                "Leave the box empty for a proposal you do not choose."
            )
        else:
            how_to_mark = _(
                "Put a cross (X) in the box beside each proposal you choose. "
                "Leave the others empty."
            )
        return PaperText(
            heading=_("Paper ballot: %(place)s, %(round)s")
            % {"place": place, "round": envelope.round.local.name},
            budget=_("%(amount)s is for the people of %(place)s to spend.")
            % {"amount": format_pence(envelope.amount_pence), "place": place},
            rule=rule.explain(),
            counting=before_voting(envelope.round.counting_rule),
            how_to_mark=how_to_mark,
            hand_in=_(
                "Fold the paper and put it in the ballot box, or post it back with your "
                "voter code. A paper that breaks the rule above, or cannot be read, is not "
                "counted."
            ),
            staff_number=_("Paper number (staff only):"),
            proposals_heading=_("Proposal and cost"),
        )


class _Pen:
    """Draws lines of text down the page, starting a new page when it runs out."""

    def __init__(self, pdf):
        self.pdf = pdf
        self.y = PAGE_HEIGHT - MARGIN

    def need(self, height: float) -> None:
        if self.y - height < MARGIN:
            self.pdf.showPage()
            self.y = PAGE_HEIGHT - MARGIN

    def text(self, text: str, size: float, *, x: float = MARGIN, width: float = WIDTH) -> None:
        for line in letters.wrapped_lines(text, size, width):
            self.need(size * 1.35)
            self.pdf.setFont(FONT, size)
            self.pdf.drawString(x, self.y - size, line)
            self.y -= size * 1.35

    def gap(self, height: float) -> None:
        self.y -= height


def write_paper_ballot(envelope, output: BinaryIO) -> None:
    letters.register_font()
    languages = envelope.neighbourhood.council.document_languages
    texts = [paper_text(envelope, language) for language in languages]
    pdf = canvas.Canvas(output, pagesize=A4, pageCompression=1, invariant=1)
    pdf.setTitle(" / ".join(t.heading for t in texts))
    pen = _Pen(pdf)
    for text in texts:
        pen.text(text.heading, 14)
    pen.gap(4)
    for field in ("budget", "rule", "counting", "how_to_mark"):
        for text in texts:
            if getattr(text, field):
                pen.text(getattr(text, field), 10)
        pen.gap(5)
    pen.text(" / ".join(t.proposals_heading for t in texts), 11)
    pen.gap(3)
    for proposal in ballot_proposals(envelope):
        pen.need(BOX + 4)
        top = pen.y
        pdf.setLineWidth(1.2)
        pdf.rect(MARGIN, top - BOX, BOX, BOX)
        pen.text(proposal.title, 11, x=MARGIN + BOX + 5 * mm, width=WIDTH - BOX - 5 * mm)
        pen.text(
            format_pence(proposal.effective_cost_pence),
            10,
            x=MARGIN + BOX + 5 * mm,
            width=WIDTH - BOX - 5 * mm,
        )
        pen.y = min(pen.y, top - BOX) - 4 * mm
    pen.gap(4)
    for text in texts:
        pen.text(text.hand_in, 9)
    pen.gap(6)
    pen.text(" / ".join(t.staff_number for t in texts) + " ______", 9)
    pdf.showPage()
    pdf.save()
