"""A resident checks a published count on their own computer, by clicking only what they
see from the home page: postcode → neighbourhood → results → download the counting program
and the ballots → run the page's command with a plain Python, outside the project, which
prints the same funded ideas, in the same order, and the same fingerprint as the page.
At 375 and 1280 px, axe on every page."""

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
from tests.voting.conftest import make_voting_envelope
from tests.voting.results.factories import cast, every_envelope
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


# The command's words that run onto a second line though the box is wide enough for them.
WORDS_SPLIT_THOUGH_THEY_FIT = """box => {
    const style = getComputedStyle(box);
    const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const line = parseFloat(style.lineHeight);
    return [...box.querySelectorAll(".nd-command-word")].filter(word => {
        const parts = word.getClientRects();
        const whole = word.getBoundingClientRect();
        return parts.length > 1 || (whole.height > 1.5 * line && whole.width < room - 1);
    }).map(word => word.textContent);
}"""


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

    # The steps, as the page gives them.
    steps = page.locator("#count-it-again + p + ol")
    assert "Python 3.10" in steps.inner_text() and "NumPy" in steps.inner_text()
    program = _download(page, "Download the counting program", folder)
    ballots = _download(page, "Download the ballots (.pb file)", folder)
    command_box = page.get_by_role("region", name="Command to count the ballots again")
    command = command_box.inner_text()
    # All of it on screen, at every width: a person retypes what they see (found by a trial).
    assert command_box.evaluate("box => box.scrollWidth <= box.clientWidth")
    # Each word whole on its line where it fits: a phone split "add1-comparison" after its
    # hyphen, which reads as a line-end hyphen (found by a trial).
    assert command_box.evaluate(WORDS_SPLIT_THOUGH_THEY_FIT) == []
    assert command.startswith(f"python -m counting {ballots.name} --rule ")
    page.get_by_text("Check your copy of the counting program").click()
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
