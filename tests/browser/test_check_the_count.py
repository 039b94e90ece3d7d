"""A resident checks a published count on their own computer, by clicking only what they
see from the home page: postcode → neighbourhood → results → download the counting program
and the ballots → run the page's command with a plain Python, outside the project, which
prints the same funded ideas, in the same order, and the same fingerprint as the page.
Every word the page gives to type stays whole on its line where it fits and never breaks
at a hyphen, however long. At 375 and 1280 px, axe on every page."""

import hashlib
import io
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import numpy
import pytest

from budgets.models import Round
from budgets.services import round_advance
from tests.browser.conftest import PATIENCE_MS, PROJECT_DIR
from tests.browser.test_resident_votes import SIZES, _page_is_fine
from tests.neighbourhoods.factories import NeighbourhoodFactory
from tests.proposals.factories import RoundFactory
from tests.voting.conftest import make_voting_envelope
from tests.voting.results.factories import (
    ClosedEnvelopeFactory,
    OnBallotProposalFactory,
    cast,
    every_envelope,
)
from voting.models import Channel
from voting.results.services import envelope_count, round_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def counted(council):
    """Splott's "Splott Decides", counted by Equal Shares with Add1 and the comparison
    step, and published: Benches (£10,000) and Play area (£15,000) funded, Trees (£20,000)
    not, of £30,000."""
    envelope = make_voting_envelope(council, counting_rule="equalshares/add1-comparison")
    ideas = {p.title: p for p in envelope.proposals.all()}
    for _ in range(4):
        cast(envelope, ideas["Benches"], ideas["Play area"])
    cast(envelope, ideas["Trees"], channel=Channel.PAPER)
    cast(envelope, ideas["Trees"], ideas["Benches"], channel=Channel.POLLING_STATION)
    round_advance(round_id=envelope.round_id, to_phase=Round.Phase.VOTING_CLOSED)
    envelope_count(envelope_id=envelope.pk)
    round_publish(
        round_id=envelope.round_id, few_ballots_accepted=every_envelope(envelope.round_id)
    )
    return envelope


@pytest.fixture(params=list(SIZES))
def resident_page(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=SIZES[request.param],
        is_mobile=request.param == "phone",
        accept_downloads=True,
        bypass_csp=True,  # axe is injected as a script
    )
    context.set_default_timeout(PATIENCE_MS)
    page = context.new_page()
    page.javascript = True
    yield page
    context.close()


@pytest.fixture(scope="session")
def resident_python(tmp_path_factory) -> Path:
    """A Python set up as the results page tells a resident to: NumPy installed and nothing
    else (no Numba, no Django, not this project)."""
    home = tmp_path_factory.mktemp("resident-python")
    venv.create(home, with_pip=False)
    site_packages = next(home.glob("lib/python*/site-packages"))
    installed = Path(numpy.__file__).parent.parent
    for name in ("numpy", "numpy.libs"):
        if (installed / name).exists():
            (site_packages / name).symlink_to(installed / name)
    return home / "bin" / "python"


def _plain_python(python: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    """That Python run as a resident runs it, in the folder they unzipped into: ``-E -s``
    is ``-I`` without ``-P``, so no PYTHONPATH and no user site, and the only folder added
    to the path is that one, outside the project (``python -m`` adds it, as it does on the
    resident's computer; ``-I`` would leave out the program too)."""
    return subprocess.run(
        [python, "-E", "-s", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


# Each word of a command or file name the page gives to type (in the command's box and in
# sentences), as the lines it is shown on, and whether it would fit on one line of the
# space it is in. Words in a closed <details> are not shown, so not measured.
COMMAND_WORDS_AS_SHOWN = """root => [...root.querySelectorAll(".nd-command-word")]
    .filter(word => word.getClientRects().length)
    .map(word => {
        const lines = [];
        let top = null;
        const walker = document.createTreeWalker(word, NodeFilter.SHOW_TEXT);
        for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            for (let i = 0; i < text.length; i++) {
                const letter = document.createRange();
                letter.setStart(text, i);
                letter.setEnd(text, i + 1);
                const at = letter.getBoundingClientRect().top;
                if (top === null || Math.abs(at - top) > 2) { lines.push(""); top = at; }
                lines[lines.length - 1] += text.data[i];
            }
        }
        let block = word.parentElement;
        while (getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
        const style = getComputedStyle(block);
        const room = block.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
        const whole = word.cloneNode(true);
        whole.style.cssText = "position: absolute; white-space: nowrap; max-width: none";
        word.after(whole);
        const width = whole.getBoundingClientRect().width;
        whole.remove();
        return {word: word.textContent, lines: lines, fits: width <= room};
    })"""


def command_words(page) -> list[dict]:
    return page.locator("main").evaluate(COMMAND_WORDS_AS_SHOWN)


def words_split_though_they_fit(page) -> list[str]:
    """Words that run onto a second line though their space is wide enough for them: a
    phone split "add1-comparison" after its hyphen, which reads as a line-end hyphen
    (found by a trial)."""
    return [w["word"] for w in command_words(page) if len(w["lines"]) > 1 and w["fits"]]


def words_broken_at_a_hyphen(page) -> list[str]:
    """Words with a line that ends at a hyphen in them, or starts at one: a reader could
    type a line break, or leave the hyphen out. Only a word wider than its whole space
    may be split at all, and never there."""
    return [
        w["word"]
        for w in command_words(page)
        if any(line.endswith("-") for line in w["lines"][:-1])
        or any(line.startswith("-") for line in w["lines"][1:])
    ]


def words_on_one_line(page) -> dict[str, bool]:
    return {w["word"]: len(w["lines"]) == 1 for w in command_words(page)}


def _download(page, link_name: str, folder: Path) -> Path:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


def _funded_in_output(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Funded ("))
    funded = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        funded.append(line.split(maxsplit=1)[1])
    return funded


def test_a_resident_counts_the_ballots_again_with_the_downloaded_program(
    resident_page, counted, resident_python, tmp_path
):
    page = resident_page
    folder = tmp_path / "my-check"
    folder.mkdir()
    assert not folder.resolve().is_relative_to(PROJECT_DIR)
    assert not resident_python.parent.resolve().is_relative_to(PROJECT_DIR)

    page.goto("/")
    _page_is_fine(page, "Your neighbourhood's money. Your decision.")
    page.get_by_label("Your postcode").fill("CF24 2AB")
    page.get_by_role("button", name="Find my neighbourhood").click()
    _page_is_fine(page, "Splott")
    page.get_by_role("link", name="See what was funded").click()
    _page_is_fine(page, "Results for Splott")

    funded_on_page = page.locator(
        "h2:has-text('What was funded') + ul.nd-outcomes h3"
    ).all_inner_texts()
    assert funded_on_page == ["Benches", "Play area"]
    fingerprint = page.locator("h3:has-text('The fingerprint of the ballots') ~ p.nd-code")
    fingerprint_on_page = fingerprint.first.inner_text().strip()
    assert fingerprint_on_page == counted.outcome.input_sha256

    # The steps, as the page gives them: unzipped, the program is a folder called
    # "counting", and the ballots go beside it (the English never said so: a trial).
    steps = page.locator("#count-it-again + p + ol")
    assert "Python 3.10" in steps.inner_text() and "NumPy" in steps.inner_text()
    assert "a folder called counting: that is the program" in steps.inner_text()
    program = _download(page, "Download the counting program", folder)
    ballots = _download(page, "Download the ballots (.pb file)", folder)
    command_box = page.get_by_role("region", name="Command to count the ballots again")
    command = command_box.inner_text()
    # All of it on screen, at every width: a person retypes what they see (found by a trial).
    assert command_box.evaluate("box => box.scrollWidth <= box.clientWidth")
    assert words_split_though_they_fit(page) == []
    assert words_broken_at_a_hyphen(page) == []
    assert command.startswith(f"python -m counting {ballots.name} --rule ")
    page.get_by_text("Check your copy of the counting program").click()
    assert words_split_though_they_fit(page) == []
    assert words_broken_at_a_hyphen(page) == []
    program_sha256 = page.locator("#program-fingerprint").inner_text().strip()
    assert hashlib.sha256(program.read_bytes()).hexdigest() == program_sha256

    with zipfile.ZipFile(program) as archive:
        names = archive.namelist()
        archive.extractall(folder)
    assert "counting/__main__.py" in names
    assert all(name.startswith("counting/") for name in names)  # the program, not the project
    # That Python cannot see the project: only the unzipped program.
    for missing in ("voting", "numba"):
        assert _plain_python(resident_python, "-c", f"import {missing}", cwd=folder).returncode
    assert _plain_python(resident_python, "-c", "import counting", cwd=folder).returncode == 0

    done = _plain_python(resident_python, "-m", *command.split()[2:], cwd=folder)

    assert done.returncode == 0, done.stderr
    assert _funded_in_output(done.stdout) == funded_on_page
    # The published file records what the platform funded, and the program agrees.
    assert f"Selected in the file too: the same {len(funded_on_page)} proposals." in done.stdout
    assert f"Fingerprint of the ballots: {fingerprint_on_page}" in done.stdout.splitlines()


@pytest.fixture
def riverside_and_pentwyn(council):
    """Last year's "Neighbourhood Decides 2025/26" (slug "2025-26", as in the demo),
    counted by Equal Shares with Add1 and the comparison step and published, in Riverside
    and in Pentwyn and Llanedeyrn North, whose ballot file's name is wider than a phone."""
    round_ = RoundFactory(
        fund__council=council,
        name="Neighbourhood Decides 2025/26",
        slug="2025-26",
        phase=Round.Phase.VOTING_CLOSED,
        ballot_rule=Round.BallotRule.APPROVAL,
        counting_rule="equalshares/add1-comparison",
    )
    for name, slug in PLACES.items():
        place = NeighbourhoodFactory(council=council, name=name, slug=slug)
        envelope = ClosedEnvelopeFactory(round=round_, neighbourhood=place)
        benches = OnBallotProposalFactory(envelope=envelope, title="Benches", cost_pence=4_000_00)
        trees = OnBallotProposalFactory(envelope=envelope, title="Trees", cost_pence=5_000_00)
        cast(envelope, benches, trees)
        cast(envelope, benches)
    for envelope_id in every_envelope(round_.pk):
        envelope_count(envelope_id=envelope_id)
    round_publish(round_id=round_.pk, few_ballots_accepted=every_envelope(round_.pk))
    return round_


PLACES = {"Riverside": "riverside", "Pentwyn and Llanedeyrn North": "pentwyn-and-llanedeyrn-north"}
# Longer than the command's box on a phone, which must split it, but never at a hyphen.
TOO_LONG_FOR_A_PHONE = "2025-26-pentwyn-and-llanedeyrn-north-ballots.pb"


def test_no_word_to_type_breaks_at_a_hyphen(resident_page, riverside_and_pentwyn):
    page = resident_page
    phone = page.viewport_size["width"] < 641
    page.goto("/")
    _page_is_fine(page, "Your neighbourhood's money. Your decision.")
    page.get_by_role("link", name="See every published result and check a count yourself").click()
    _page_is_fine(page, "Published results")
    page.get_by_role("link", name="Neighbourhood Decides 2025/26").click()
    _page_is_fine(page, "Results: Neighbourhood Decides 2025/26")
    page.get_by_role("link", name="Riverside").click()
    _page_is_fine(page, "Results for Riverside")
    page.get_by_text("Check your copy of the counting program").click()

    # The words a trial saw split at their hyphens on a phone now fit on one line.
    shown = words_on_one_line(page)
    for word in ["2025-26-riverside-ballots.pb", "equalshares/add1-comparison", "-hashfile"]:
        assert shown[word] is True, word
    assert words_split_though_they_fit(page) == []
    assert words_broken_at_a_hyphen(page) == []

    page.get_by_role("link", name="Results for every neighbourhood in").click()
    _page_is_fine(page, "Results: Neighbourhood Decides 2025/26")
    page.get_by_role("link", name="Pentwyn and Llanedeyrn North").click()
    _page_is_fine(page, "Results for Pentwyn and Llanedeyrn North")

    too_long = next(w for w in command_words(page) if w["word"] == TOO_LONG_FOR_A_PHONE)
    assert too_long["fits"] is not phone  # the case this test is for, on a phone
    assert len(too_long["lines"]) == (2 if phone else 1)
    assert words_broken_at_a_hyphen(page) == []
    assert words_split_though_they_fit(page) == []
    command_box = page.get_by_role("region", name="Command to count the ballots again")
    assert command_box.evaluate("box => box.scrollWidth <= box.clientWidth")


def test_without_numpy_the_program_says_what_to_install(client, counted, tmp_path):
    program = client.get("/results/counting-program.zip")
    ballots = client.get(f"/envelopes/{counted.pk}/results/ballots.pb")
    with zipfile.ZipFile(io.BytesIO(program.content)) as archive:
        archive.extractall(tmp_path)
    (tmp_path / "ballots.pb").write_bytes(ballots.content)

    # -S: without site-packages, so without NumPy.
    done = _plain_python(
        Path(sys.executable), "-S", "-m", "counting", "ballots.pb", "--check", cwd=tmp_path
    )

    assert done.returncode == 2
    assert "python -m pip install numpy" in done.stderr
    assert "Traceback" not in done.stderr
