"""The production server for real: gunicorn with the repository's gunicorn.conf.py and two
workers on a free port of 127.0.0.1 and a temporary SQLite database. It answers the probes and a
page, adds up the metrics of both workers, starts new workers on SIGHUP and stops cleanly on
SIGTERM. Needs only gunicorn (the [dev] and [production] extras); skipped, saying so, without it."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import AUDIT_KEY

pytest.importorskip("gunicorn", reason="gunicorn is not installed ([dev] or [production] extra)")
# Its workers are found as the master's children, which Linux lists under /proc.
if not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
    pytest.skip("needs /proc/PID/task/PID/children (Linux) to find gunicorn's workers",
                allow_module_level=True)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _workers(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return {int(pid) for pid in children.read_text().split()}


def _wait_for(condition, what: str, seconds: float = STARTUP_SECONDS):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture
def server(tmp_path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items()
           if not k.startswith(("FLASK_", "PROMETHEUS_", "GUNICORN_"))},
        "FLASK_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/app.sqlite",
        "FLASK_STORAGE_DIR": str(tmp_path / "storage"),
        "FLASK_SECRET_KEY": "gunicorn-test-secret-key-of-some-length",
        "FLASK_AUDIT_KEYS": json.dumps({"test": AUDIT_KEY}),
        "WEB_CONCURRENCY": "2",
    }
    subprocess.run([sys.executable, "-m", "flask", "--app", "assettransfer", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    log = (tmp_path / "gunicorn.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: process.poll() is None and _get(url + "/healthz")[0] == 200,
                  "gunicorn to answer")
        _wait_for(lambda: len(_workers(process.pid)) == 2, "two workers")
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.seek(0)
        print(log.read())  # shown when the test fails
        log.close()


def test_gunicorn_serves_the_app_and_restarts_gracefully(server):
    process, url = server
    assert _get(url + "/healthz") == (200, '{"status":"ok"}\n')
    status, body = _get(url + "/readyz")
    assert status == 200 and json.loads(body)["status"] == "ready"
    status, body = _get(url + "/")
    assert status == 200 and "<html" in body

    # Both workers' requests are counted, whichever worker answers the scrape.
    for _ in range(20):
        _get(url + "/healthz")
    status, body = _get(url + "/metrics")
    assert status == 200
    healthz = 'assettransfer_http_requests_total{endpoint="ops.healthz",method="GET",status="200"}'
    [count] = [line.rpartition(" ")[2] for line in body.splitlines()
               if line.startswith(healthz)]
    assert float(count) >= 21

    # SIGHUP: new workers take over, the server answering throughout.
    before = _workers(process.pid)
    process.send_signal(signal.SIGHUP)

    def replaced():
        assert _get(url + "/healthz")[0] == 200
        now = _workers(process.pid)
        return len(now) == 2 and not now & before

    _wait_for(replaced, "new workers after SIGHUP")
    assert _get(url + "/readyz")[0] == 200

    # SIGTERM: the workers finish and the server stops, cleanly.
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(url + "/healthz", timeout=2)
