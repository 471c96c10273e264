"""The production shape under load: gunicorn and the Celery job worker on PostgreSQL with 10,000
applications, against ``flask run`` (the development server) as the baseline. A script, not a
test:

    .venv/bin/python benchmarks/load.py [--workers 4] [--clients 10,25,50] [--seconds 60]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
        [--redis-url redis://127.0.0.1:6379/9]

Makes a database of its own on the server given (dropped at the end), ``flask db upgrade``s it
and bulk-loads the applications (``benchmarks/dashboard.py``'s loader), of which two pools are put
in the states where an officer's action can be taken through the API: ``accept_eoi`` (issues the
EOI outcome letter, rendered by the job worker after the commit) and ``start_assessment`` (issues
none). Each client is a thread with its own keep-alive connection, a signed-in session for the
pages and the officer's API token, and takes the next request as soon as the last one answered:
80% reads (the council dashboard, a case page, an application and a page of applications from
the API) and 20% actions (15% the letter action, 5% the one without a letter), each case acted
on once. Both servers run throughout and take turns at each level (so that a slow spell of the
machine falls on both): gunicorn with the letter action replaced by the one without (no renders,
the baseline for "an unrelated write is not slowed by renders"), gunicorn with the mix, then
``flask run`` with the mix. After each run the job worker is given ``--drain-seconds`` to render
every letter ordered: the table says how long it took, and the requests/s counting that time
(a server that starves the worker during the run leaves renders owed after it).

Targets, each printed with MET / NOT MET (the exit code is 0 either way): no errors (any answer
but 200, or no answer); no lost writes (an audit event for every action a client saw succeed,
and every letter's job done once the worker drains); the letter action's p95 within 2x the
other action's; the action without a letter's p95 within 1.5x of its p95 in the no-render run.
Everything it starts (gunicorn, flask run, the worker) it stops, on failure and Ctrl-C too.
"""

import argparse
import http.cookies
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import redis
import sqlalchemy as sa
import urllib3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assettransfer import create_app
from assettransfer.extensions import db
from assettransfer.models import Application, Deadline, Event, Job, Role
from assettransfer.services import accounts, tallies
from benchmarks.dashboard import PASSWORD, bulk_applications, seed_people, verdict

LETTER, NO_LETTER = "accept_eoi", "start_assessment"  # council-cat, both an officer's
POOLS = {LETTER: "eoi_submitted", NO_LETTER: "application_submitted"}
READS = ("dashboard", "case page", "API application", "API list")
# The mix: each read 20%, the letter action 15%, the action without a letter 5%.
MIX = [*READS] * 4 + [LETTER] * 3 + [NO_LETTER]
NO_RENDER_MIX = [*READS] * 4 + [NO_LETTER] * 4
LETTER_TARGET, UNRELATED_TARGET = 2.0, 1.5
GENEROUS = "100000 per minute"
LIMITS = ("SIGN_IN_LIMIT_PER_ACCOUNT", "SIGN_IN_LIMIT_PER_ADDRESS", "API_TOKEN_LIMIT_PER_ADDRESS",
          "SIGN_UP_LIMIT_PER_ADDRESS", "TWO_FACTOR_LIMIT_PER_ACCOUNT")


def settings(database_url: str, redis_url: str, storage: Path) -> dict[str, str]:
    """The environment of every process: the production settings, generous throttles."""
    env = {
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_SECRET_KEY": secrets.token_urlsafe(40),
        "FLASK_AUDIT_KEYS": json.dumps({"bench": secrets.token_urlsafe(40)}),
        "FLASK_RATELIMIT_STORAGE_URI": redis_url,
        "FLASK_JOBS_BROKER_URL": redis_url,
        "FLASK_JOBS_QUEUE": f"load-benchmark-{secrets.token_hex(4)}",
        "FLASK_STORAGE_DIR": str(storage),
        "FLASK_WORKFLOWS": json.dumps(["scotland-atr", "england-acv", "council-cat"]),
    }
    env.update({f"FLASK_{name}": GENEROUS for name in LIMITS})
    return env


# --- the database ------------------------------------------------------------------------------

def create_database(server_url: str) -> tuple[str, str]:
    name = f"bench_{secrets.token_hex(5)}"
    with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, server_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def seed(env: dict, count: int) -> dict:
    """Bulk-load ``count`` applications; the pools of cases each action is taken on; the
    officer's API token. Runs in this process, with the settings of the others."""
    app = create_app({"TESTING": True, "ARGON2_PARAMS": {"time_cost": 1, "memory_cost": 8,
                                                         "parallelism": 1}})
    with app.app_context():
        staff, _lead, organisations, assets = seed_people()
        first = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(Application.id), 0))) + 1
        bulk_applications(app.extensions["workflows"], [o.id for o in organisations],
                          [a.id for a in assets], first, count, random.Random(2026))
        # Four fifths of the cases, for each action two: in the state it is taken from, with
        # the organisation that has a lead contact (the letters go to one), no deadline pending.
        ids = list(range(first, first + count))
        random.Random(15).shuffle(ids)
        pools = {action: ids[i * 2 * count // 5:(i + 1) * 2 * count // 5]
                 for i, action in enumerate(POOLS)}
        for action, state in POOLS.items():
            chosen = Application.__table__.c.id.in_(pools[action])
            db.session.execute(sa.delete(Deadline.__table__).where(
                Deadline.__table__.c.application_id.in_(pools[action])))
            db.session.execute(sa.update(Application.__table__).where(chosen).values(
                workflow="council-cat", state=state, next_due_on=None,
                organisation_id=organisations[0].id))
        db.session.commit()
        tallies.recount()
        _, token = accounts.issue_token(staff[Role.OFFICER], "load benchmark")
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        officer = staff[Role.OFFICER].email
        db.engine.dispose()
    return {"pools": pools, "token": token, "officer": officer, "all": ids}


# --- the processes -----------------------------------------------------------------------------

class Processes:
    """Children in sessions of their own, each stopped with its whole group."""

    def __init__(self, env: dict, logs: Path):
        self.env, self.logs, self.running = {**os.environ, **env}, logs, {}

    def start(self, name: str, *command: str) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(
            [sys.executable, "-m", *command], cwd=ROOT, env=self.env, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)

    def run(self, *command: str) -> None:
        subprocess.run([sys.executable, "-m", *command], cwd=ROOT, env=self.env, check=True)

    def stop(self, name: str) -> None:
        process = self.running.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)

    def alive(self, name: str) -> bool:
        return self.running[name].poll() is None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(processes: Processes, name: str, port: int, timeout: float = 60) -> None:
    pool = urllib3.HTTPConnectionPool("127.0.0.1", port, retries=False, timeout=2)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not processes.alive(name):
            raise RuntimeError(f"{name} exited; see its log")
        try:
            if pool.request("GET", "/healthz").status == 200:
                return
        except urllib3.exceptions.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer /healthz within {timeout:.0f} s")


# --- the clients -------------------------------------------------------------------------------

class Cases:
    """The cases not yet acted on, handed out once each, shared by every client and run."""

    def __init__(self, pools: dict[str, list[int]]):
        self.pools, self.lock = {a: list(ids) for a, ids in pools.items()}, threading.Lock()
        self.succeeded: dict[str, list[int]] = defaultdict(list)

    def take(self, action: str) -> int | None:
        with self.lock:
            return self.pools[action].pop() if self.pools[action] else None


class Client(threading.Thread):
    def __init__(self, port: int, seed: dict, cases: Cases, mix: list[str], until: float,
                 rng: random.Random):
        super().__init__(daemon=True)
        self.pool = urllib3.HTTPConnectionPool("127.0.0.1", port, maxsize=1, retries=False,
                                               timeout=60)
        self.seed, self.cases, self.mix, self.until, self.rng = seed, cases, mix, until, rng
        self.cookie = ""
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.skipped = 0

    def sign_in(self) -> None:
        page = self._send("GET", "/account/sign-in")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.data.decode())
        if page.status != 200 or not token:
            raise RuntimeError(f"the sign-in page answered {page.status} without a form")
        body = urlencode({"csrf_token": token.group(1), "email": self.seed["officer"],
                          "password": PASSWORD})
        answer = self._send("POST", "/account/sign-in", body=body,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        if answer.status != 302:
            raise RuntimeError(f"sign-in answered {answer.status}")

    def run(self) -> None:
        while time.monotonic() < self.until:
            kind = self.rng.choice(self.mix)
            method, path, body, case = self._request(kind)
            if path is None:  # every case of the pool acted on: too few applications loaded
                self.skipped += 1
                kind = self.rng.choice(READS)
                method, path, body, case = self._request(kind)
            started = time.perf_counter()
            try:
                answer = self._send(method, path, body)
                status = answer.status
            except urllib3.exceptions.HTTPError as exc:
                status, answer = f"{type(exc).__name__}", None
            self.times[kind].append(time.perf_counter() - started)
            if status != 200:
                detail = answer.data[:300].decode(errors="replace") if answer else ""
                self.errors[kind].append(f"{method} {path}: {status} {detail}")
            elif case is not None:
                with self.cases.lock:
                    self.cases.succeeded[kind].append(case)

    def _request(self, kind: str):
        if kind in POOLS:
            case = self.cases.take(kind)
            if case is None:
                return "POST", None, None, None
            body = json.dumps({"version": 1, "data": {}})
            return "POST", f"/api/v1/applications/{case}/actions/{kind}", body, case
        case = self.rng.choice(self.seed["all"])
        return "GET", {
            "dashboard": "/council/",
            "case page": f"/council/applications/{case}",
            "API application": f"/api/v1/applications/{case}",
            "API list": f"/api/v1/applications?page={self.rng.randint(1, 20)}",
        }[kind], None, None

    def _send(self, method: str, path: str, body=None, headers=None):
        headers = dict(headers or {})
        if path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {self.seed['token']}"
            headers["Content-Type"] = "application/json"
        elif self.cookie:
            headers["Cookie"] = self.cookie
        answer = self.pool.request(method, path, body=body, headers=headers, redirect=False)
        for value in answer.headers.getlist("Set-Cookie"):
            cookie = http.cookies.SimpleCookie(value)
            self.cookie = "; ".join(f"{k}={m.value}" for k, m in cookie.items())
        return answer


def run_level(port: int, seed: dict, cases: Cases, clients: int, seconds: float,
              mix: list[str]) -> dict:
    """One level: ``clients`` signed in, then all started together for ``seconds``."""
    threads = [Client(port, seed, cases, mix, 0, random.Random(i)) for i in range(clients)]
    for thread in threads:
        thread.sign_in()
    started = time.monotonic()
    for thread in threads:
        thread.until = started + seconds
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    times, errors = defaultdict(list), defaultdict(list)
    for thread in threads:
        for kind, values in thread.times.items():
            times[kind] += values
        for kind, values in thread.errors.items():
            errors[kind] += values
    return {"times": dict(times), "errors": dict(errors), "elapsed": elapsed,
            "skipped": sum(thread.skipped for thread in threads)}


def drain(engine, timeout: float) -> tuple[float, dict[str, int]]:
    """Seconds until no job is pending or running (or ``timeout``); the jobs by status."""
    started = time.monotonic()
    while True:
        with engine.connect() as conn:
            counts = dict(conn.execute(sa.select(Job.status, sa.func.count())
                                       .group_by(Job.status)).all())
        by_status = {status.value: n for status, n in counts.items()}
        waiting = by_status.get("pending", 0) + by_status.get("running", 0)
        if not waiting or time.monotonic() - started > timeout:
            return time.monotonic() - started, by_status
        time.sleep(0.5)


# --- the report --------------------------------------------------------------------------------

def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 \
        else (values[0] if values else float("nan"))


def report(results: dict, levels: list[int], totals: dict) -> None:
    kinds = [*READS, LETTER, NO_LETTER]
    print("\nrequests/s and latency (ms) by kind; ratios against flask run at the same level")
    print(f"{'server':22} {'clients':>7} {'kind':18} {'count':>6} {'req/s':>7} {'p50':>7} "
          f"{'p95':>7} {'p99':>7} {'errors':>6}  {'req/s ratio':>11} {'p95 ratio':>9}")
    for (server, clients), run in results.items():
        base = results.get(("flask run", clients))
        for kind in [*kinds, "all"]:
            values = (sum(run["times"].values(), []) if kind == "all"
                      else run["times"].get(kind, []))
            if not values:
                continue
            errors = (sum(len(e) for e in run["errors"].values()) if kind == "all"
                      else len(run["errors"].get(kind, [])))
            rate = len(values) / run["elapsed"]
            cells = (f"{server:22} {clients:>7} {kind:18} {len(values):>6} {rate:>7.1f} "
                     f"{percentile(values, 50) * 1000:>7.0f} {percentile(values, 95) * 1000:>7.0f}"
                     f" {percentile(values, 99) * 1000:>7.0f} {errors:>6}")
            base_values = (sum(base["times"].values(), []) if kind == "all"
                           else base["times"].get(kind, [])) if base else []
            if base_values:
                cells += (f"  {rate / (len(base_values) / base['elapsed']):>10.2f}x"
                          f" {percentile(values, 95) / percentile(base_values, 95):>8.2f}x")
            print(cells)
        if run.get("drain") is not None:
            seconds, by_status = run["drain"]
            served = sum(len(v) for v in run["times"].values())
            print(f"{'':22} {'':>7} letters drained {seconds:.1f} s after the run: {by_status}; "
                  f"req/s counting the drain (the renders owed): "
                  f"{served / (run['elapsed'] + seconds):.1f}")
        if run["skipped"]:
            print(f"{'':22} {'':>7} {run['skipped']} actions not taken (no case left in their "
                  "pool: load more applications); reads in their place")
    print("\nerrors (first three of each kind)")
    any_error = False
    for (server, clients), run in results.items():
        for kind, errors in run["errors"].items():
            any_error = True
            for error in errors[:3]:
                print(f"  {server} {clients}: {kind}: {error}")
    if not any_error:
        print("  none")
    print("\ntargets")
    errors = sum(len(e) for run in results.values() for e in run["errors"].values())
    print(f"  0 errors: {errors} errors seen by the clients; tracebacks and errors logged: "
          f"{totals['logged']}: {verdict(errors == 0 and not any(totals['logged'].values()))}")
    for action in POOLS:
        print(f"  0 lost writes, {action}: {totals['succeeded'][action]} successes seen, "
              f"{totals['events'][action]} events recorded for them: "
              f"{verdict(totals['succeeded'][action] == totals['events'][action])}")
    jobs = totals["jobs"]
    undone = sum(n for status, n in jobs.items() if status != "done")
    print(f"  every letter ordered rendered: jobs {jobs}, at least one per {LETTER} success "
          f"({totals['succeeded'][LETTER]}): "
          f"{verdict(undone == 0 and jobs.get('done', 0) >= totals['succeeded'][LETTER])}")
    for clients in levels:
        mixed = results.get(("gunicorn", clients))
        calm = results.get(("gunicorn, no renders", clients))
        if not mixed or not calm:
            continue
        letter, plain = mixed["times"].get(LETTER, []), mixed["times"].get(NO_LETTER, [])
        if letter and plain:
            ratio = percentile(letter, 95) / percentile(plain, 95)
            print(f"  {clients} clients: {LETTER} p95 {ratio:.2f}x {NO_LETTER}'s (target within "
                  f"{LETTER_TARGET:g}x): {verdict(ratio <= LETTER_TARGET)}")
        calm_plain = calm["times"].get(NO_LETTER, [])
        if plain and calm_plain:
            ratio = percentile(plain, 95) / percentile(calm_plain, 95)
            print(f"  {clients} clients: {NO_LETTER} p95 during renders {ratio:.2f}x the "
                  f"no-render run's (target within {UNRELATED_TARGET:g}x): "
                  f"{verdict(ratio <= UNRELATED_TARGET)}")


def logged_failures(logs: Path) -> dict[str, int]:
    """Tracebacks and errors each process logged (``--keep-logs`` keeps them to read)."""
    return {log.stem: sum(line.startswith("Traceback") or '"level": "ERROR"' in line
                          or "[ERROR]" in line for line in log.read_text().splitlines())
            for log in sorted(logs.glob("*.log"))}


def count_outcomes(engine, cases: Cases) -> dict:
    with engine.connect() as conn:
        events = {action: conn.scalar(sa.select(sa.func.count()).select_from(Event).where(
            Event.action == action, Event.application_id.in_(cases.succeeded[action] or [0])))
            for action in POOLS}
        jobs = {status.value: n for status, n in conn.execute(
            sa.select(Job.status, sa.func.count()).group_by(Job.status)).all()}
    return {"succeeded": {a: len(cases.succeeded[a]) for a in POOLS}, "events": events,
            "jobs": jobs}


# --- the run -----------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker (2)")
    parser.add_argument("--clients", default="10,25,50", help="levels, comma-separated")
    parser.add_argument("--seconds", type=float, default=60, help="each level's run (60)")
    parser.add_argument("--warmup-seconds", type=float, default=5,
                        help="the mix, unmeasured, before each server's first level (5)")
    parser.add_argument("--worker-concurrency", type=int, default=2,
                        help="the Celery worker's processes (2)")
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--drain-seconds", type=float, default=300,
                        help="how long the job worker may take to render a run's letters")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCHMARK_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        help="a PostgreSQL server; the benchmark makes and drops a database of its own there")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--keep-logs", action="store_true",
                        help="keep the servers' and the worker's logs (kept anyway on failure)")
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]
    # So that `finally` stops the children: on SIGTERM, and on Ctrl-C even where the shell that
    # started this in the background had SIGINT ignored.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    signal.signal(signal.SIGINT, signal.default_int_handler)

    name, url = create_database(args.database_url)
    tmp = Path(tempfile.mkdtemp(prefix="load-benchmark-"))
    env = settings(url, args.redis_url, tmp / "storage")
    processes = Processes({**env, "WEB_CONCURRENCY": str(args.workers),
                           "GUNICORN_THREADS": str(args.threads)}, tmp)
    engine = sa.create_engine(url)
    results: dict = {}
    finished = False
    try:
        os.environ.update(env)
        processes.run("flask", "--app", "assettransfer", "db", "upgrade")
        print(f"database {name}: loading {args.applications:,} applications", flush=True)
        loaded = seed(env, args.applications)
        cases = Cases(loaded["pools"])
        processes.start("celery", "celery", "-A", "assettransfer.worker", "worker",
                        "--concurrency", str(args.worker_concurrency), "--loglevel", "warning")
        ports = {"gunicorn": free_port(), "flask run": free_port()}
        processes.start("gunicorn", "gunicorn", "--config", "gunicorn.conf.py",
                        "--bind", f"127.0.0.1:{ports['gunicorn']}")
        processes.start("flask run", "flask", "--app", "assettransfer", "run",
                        "--port", str(ports["flask run"]))
        for server, port in ports.items():
            wait_ready(processes, server, port)
            if args.warmup_seconds:  # every worker's first requests (imports, pools) unmeasured
                run_level(port, loaded, cases, levels[0], args.warmup_seconds, MIX)
                drain(engine, args.drain_seconds)
        # The servers take turns at each level, so that the machine's slow spells (it may be
        # shared) fall on the baseline and gunicorn alike.
        runs = [("gunicorn, no renders", "gunicorn", NO_RENDER_MIX), ("gunicorn", "gunicorn", MIX),
                ("flask run", "flask run", MIX)]
        for clients in levels:
            for label, server, mix in runs:
                print(f"{label}: {clients} clients for {args.seconds:g} s", flush=True)
                run = run_level(ports[server], loaded, cases, clients, args.seconds, mix)
                run["drain"] = drain(engine, args.drain_seconds)
                results[(label, clients)] = run
        totals = count_outcomes(engine, cases)
        totals["logged"] = logged_failures(tmp)
        finished = True
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return
    finally:
        processes.stop_all()
        engine.dispose()
        drop_database(args.database_url, name)
        queues = redis.Redis.from_url(args.redis_url)  # the queue and Celery's keys for it
        for key in queues.scan_iter(match=f"*{env['FLASK_JOBS_QUEUE']}*"):
            queues.delete(key)
        if args.keep_logs or not finished:
            print(f"logs: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\ngunicorn: {args.workers} workers x {args.threads} threads; Celery worker "
          f"concurrency {args.worker_concurrency}; {args.applications:,} applications on "
          f"PostgreSQL; {args.seconds:g} s "
          f"a level; the mix: 80% reads (each of {', '.join(READS)} 20%), 15% {LETTER} "
          f"(a letter), 5% {NO_LETTER} (none); 'no renders': {NO_LETTER} in place of {LETTER}")
    report(results, levels, totals)


if __name__ == "__main__":
    try:
        main()
    except Exception:  # noqa: BLE001 - the benchmark reports and exits 0 whatever happens
        traceback.print_exc()
    sys.exit(0)
