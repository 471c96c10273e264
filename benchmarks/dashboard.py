"""How fast the council dashboard and a case page answer with many applications. A script, not
a test:

    . .venv/bin/activate && python benchmarks/dashboard.py [--runs 15] [--database-url URL]
    (or BENCHMARK_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test)

Seeds 1,000 applications (bulk-inserted rows across every workflow and stage, each open one with a
deadline: Core ``INSERT`` statements of 10,000 rows at a time, not the services one by one),
measures, tops up to 10,000 and to 100,000 and measures again at each size. Each figure is the
median of warm runs through the Flask test client (the pages taking turns in each run, so that the
machine's slow spells fall on baseline and page alike), signed in as an officer and as an admin,
with the number of SQL statements each request ran (counted by a ``before_cursor_execute``
listener). Baselines in the same app and run: the accessibility page (the same layout, no data)
and a bare route registered here. Targets, each printed with MET / NOT MET (the exit code is 0
either way): the officer's dashboard within 5x the accessibility page at every size; every page's
statement count the same at 10,000 and 100,000 applications as at 1,000. Uses its own temporary
SQLite database unless given a URL (for PostgreSQL the tables go in a throwaway schema). After
each bulk load the stage tallies are recounted (as ``flask tallies recount`` does after any load
that bypasses the app) and statistics refreshed (ANALYZE), as PostgreSQL's autovacuum would.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assettransfer import create_app, walks
from assettransfer.extensions import db
from assettransfer.models import Application, AssetType, Deadline, Role
from assettransfer.services import accounts, tallies
from assettransfer.web import sessions
from tests import factories

PASSWORD = "benchmark password"
SIZES = (1_000, 10_000, 100_000)
DASHBOARD_TARGET = 5.0
BATCH = 10_000


def make_app(folder: Path, url: str | None):
    options = {}
    schema = None
    if url and url.startswith("postgresql"):
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with sa.create_engine(url).begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "benchmark",
        "SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{folder / 'bench.sqlite'}",
        "SQLALCHEMY_ENGINE_OPTIONS": options,
        "STORAGE_DIR": str(folder / "storage"),
        "WTF_CSRF_ENABLED": False,
        "ARGON2_PARAMS": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
        "AUTHORITY_NATION": "scotland",
        "WORKFLOWS": ["scotland-atr", "england-acv", "council-cat"],
    })

    @app.get("/_benchmark/bare")
    def bare():
        return "ok"

    return app, schema


def seed_people():
    staff = {role: accounts.create_user(f"{role.value}@bench.example", role.label, role, PASSWORD)
             for role in (Role.OFFICER, Role.ADMIN)}
    lead = accounts.create_user("lead@bench.example", "Group Lead", Role.APPLICANT, PASSWORD)
    organisations = [factories.OrganisationFactory(lead=lead if i == 0 else None)
                     for i in range(40)]
    assets = [factories.AssetFactory(asset_type=list(AssetType)[i % len(AssetType)])
              for i in range(200)]
    db.session.commit()
    return staff, lead, organisations, assets


def bulk_applications(registry, organisation_ids, asset_ids, start: int, count: int, rng) -> None:
    """``count`` application rows spread over every workflow and stage, each open one with a
    deadline row and ``next_due_on`` (some overdue), inserted ``BATCH`` rows a statement."""
    for first in range(start, start + count, BATCH):
        _insert_batch(registry, organisation_ids, asset_ids, first,
                      min(BATCH, start + count - first), rng)
    db.session.commit()


def _insert_batch(registry, organisation_ids, asset_ids, start: int, count: int, rng) -> None:
    stages = [(w, s) for w in registry for s in w.states.values()]
    today = date.today()
    now = datetime.now(UTC)
    rows, deadlines = [], []
    for number in range(start, start + count):
        workflow, state = stages[number % len(stages)]
        due = None
        if not state.final and state.name != workflow.initial_state:
            due = today + timedelta(days=rng.randint(-20, 90))
        rows.append({
            "id": number, "reference": f"BEN-{number:07d}", "workflow": workflow.key,
            "state": state.name, "version": 1, "answers": {}, "next_due_on": due,
            "asset_id": asset_ids[number % len(asset_ids)],
            "organisation_id": organisation_ids[number % len(organisation_ids)],
            "created_at": now, "updated_at": now,
        })
        if due is not None:
            rule = next(iter(workflow.deadlines.values()))
            deadlines.append({"application_id": number, "name": rule.name, "starts_on": today,
                              "due_on": due, "rule": f"benchmark ({rule.citation})",
                              "created_at": now})
    # Core inserts on the tables: no ORM events, so the tallies are recounted after the load.
    db.session.execute(sa.insert(Application.__table__), rows)
    db.session.execute(sa.insert(Deadline.__table__), deadlines)


def walked_case(lead, officer, organisation, asset):
    """One real case with answers, events, deadlines and issued documents, for the case page."""
    application = walks.begin(lead, "council-cat", asset, organisation)
    walks.walk(application, SimpleNamespace(applicant=lead, officer=officer), "business_case")
    db.session.commit()
    return application


def count_statements(client, engine, url: str) -> tuple[int, float]:
    """(SQL statements one warm GET ``url`` ran, seconds their execute calls took)."""
    statements, spent = [], []

    def before(conn, cursor, statement, *args):
        statements.append(statement)
        conn.info["benchmark_started"] = time.perf_counter()

    def after(conn, cursor, statement, *args):
        spent.append(time.perf_counter() - conn.info.pop("benchmark_started"))

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    try:
        client.get(url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
    return len(statements), sum(spent)


def measure(client, engine, pages: dict[str, str],
            runs: int) -> dict[str, tuple[float, int, float]]:
    """{page: (median seconds, SQL statements, SQL seconds)}, warm. The pages take turns within
    each run, so a slow spell on the machine falls on the baseline and the page alike."""
    counted = {name: count_statements(client, engine, url) for name, url in pages.items()}
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(runs):
        for name, url in pages.items():
            started = time.perf_counter()
            client.get(url)
            times[name].append(time.perf_counter() - started)
    return {name: (statistics.median(times[name]), *counted[name]) for name in pages}


def signed_in(app, session_id: str):
    """A client whose session is a live one for ``session_id`` (``User.get_id()``: id and epoch),
    as the sign-in form would leave it, without the form's two-factor step."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
        session[sessions.SIGNED_IN_AT] = session[sessions.SEEN_AT] = int(time.time())
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url", default=os.environ.get("BENCHMARK_DATABASE_URL"),
                        help="default: $BENCHMARK_DATABASE_URL, else a temporary SQLite file")
    args = parser.parse_args()
    rng = random.Random(2026)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        app, schema = make_app(Path(tmp), args.database_url)
        with app.app_context():
            db.create_all()
            registry = app.extensions["workflows"]
            staff, lead, organisations, assets = seed_people()
            case = walked_case(lead, staff[Role.OFFICER], organisations[0], assets[0])
            case_id, engine = case.id, db.engine
            staff_ids = {role: user.get_id() for role, user in staff.items()}
            organisation_ids = [o.id for o in organisations]
            asset_ids = [a.id for a in assets]
        pages = {
            "bare route (baseline)": "/_benchmark/bare",
            "accessibility page (baseline)": "/accessibility",
            "dashboard": "/council/",
            "dashboard, filtered, page 3":
                "/council/?workflow=council-cat&overdue=y&scope=all&page=3",
            "case page": f"/council/applications/{case_id}",
        }
        seeded = 0
        for size in SIZES:
            # Requests run outside this context, each in its own, with its own session.
            with app.app_context():
                bulk_applications(registry, organisation_ids, asset_ids, case_id + 1 + seeded,
                                  size - seeded, rng)
                # After a bulk load: the stage counts rebuilt, as ``flask tallies recount``
                # does, and statistics refreshed, as PostgreSQL's autovacuum would.
                tallies.recount()
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
                db.session.remove()
            seeded = size
            for role in (Role.OFFICER, Role.ADMIN):
                client = signed_in(app, staff_ids[role])
                for name, figures in measure(client, engine, pages, args.runs).items():
                    results[(size, role, name)] = figures
        if schema:
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
    report(results, args.runs)


def report(results: dict, runs: int) -> None:
    print(f"median of {runs} warm requests through the Flask test client, the pages taking turns; "
          "SQL: the statements one request ran and the time their execute calls took (on SQLite "
          "a grouped count finishes in the fetch, so it is not all there)")
    order = list(dict.fromkeys(name for (_, _, name) in results))
    for role in (Role.OFFICER, Role.ADMIN):
        print(f"\nsigned in as {role.value}")
        print(f"{'page':30}" + "".join(f"  {size:>7,} apps: ms  ratio  SQL  SQL ms"
                                       for size in SIZES))
        for name in order:
            cells = []
            for size in SIZES:
                seconds, statements, sql_seconds = results[(size, role, name)]
                baseline = results[(size, role, "accessibility page (baseline)")][0]
                cells.append(f"{seconds * 1000:16.1f} {seconds / baseline:6.2f}x {statements:4d} "
                             f"{sql_seconds * 1000:7.1f}")
            print(f"{name:30}" + "".join(cells))
    print("\ntargets")
    for size in SIZES:
        dash = results[(size, Role.OFFICER, "dashboard")][0]
        base = results[(size, Role.OFFICER, "accessibility page (baseline)")][0]
        print(f"  {size:>7,} applications: officer dashboard {dash / base:.2f}x the accessibility "
              f"page (target within {DASHBOARD_TARGET:g}x): "
              f"{verdict(dash <= DASHBOARD_TARGET * base)}")
    pages = list(dict.fromkeys((role, name) for (_, role, name) in results))
    for size in SIZES[1:]:
        changed = [f"{role.value} {name} {results[(SIZES[0], role, name)][1]}->"
                   f"{results[(size, role, name)][1]}" for role, name in pages
                   if results[(SIZES[0], role, name)][1] != results[(size, role, name)][1]]
        print(f"  SQL statements per page the same at {size:,} as at {SIZES[0]:,} applications: "
              f"{verdict(not changed)}" + (f" ({'; '.join(changed)})" if changed else ""))


def verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


if __name__ == "__main__":
    main()
