"""gunicorn's settings for assettransfer in production; see docs/operations.md.

Run from the checkout:  .venv/bin/gunicorn --config gunicorn.conf.py
Options on the command line (or in GUNICORN_CMD_ARGS) win over this file, e.g. ``--bind
10.0.0.5:8000``. SIGHUP starts new workers on the new code and retires the old ones gracefully;
SIGTERM stops after the requests in progress (up to ``graceful_timeout``).
"""

import os
import shutil
import tempfile
from pathlib import Path

wsgi_app = "assettransfer:create_app()"

# Only the reverse proxy, which terminates TLS, should reach the app: it listens on this machine.
bind = "127.0.0.1:8000"
# Web requests wait on the database more than on the processor. The cap keeps a large machine
# from opening more database connections than PostgreSQL allows (each worker has its own pool).
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 12)))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
# A worker silent this long is killed and replaced: long enough for the slowest page (a legal pack
# rendered in the request took 8.7 s on a quiet machine).
timeout = 60
# On SIGTERM or SIGHUP, how long requests in progress have to finish.
graceful_timeout = 30
# The proxy keeps connections open between requests.
keepalive = 5
# A worker is replaced after about this many requests, each at a different moment (the jitter),
# so that memory a worker slowly gathers is given back. Not much more often: each worker leaves
# its metrics files behind, which every scrape reads (see docs/operations.md, Metrics).
max_requests = 5000
max_requests_jitter = 500
# Heartbeat files in memory, not on a disk that may stall (gunicorn's advice for containers).
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

# Signals (HUP, TERM, TTIN, TTOU) manage the server. gunicorn's control socket would sit at one
# path per user ($HOME/.gunicorn/gunicorn.ctl), shared by every instance the user runs.
control_socket_disable = True

# The app logs each request itself, as a JSON line with its request id (request_log.py).
accesslog = None
errorlog = "-"
loglevel = "info"

# X-Forwarded-For and -Proto are believed in one place: the app's ProxyFix, for TRUSTED_PROXIES
# proxies (create_app). gunicorn itself sets no scheme from headers, and takes the headers it
# does forward (SCRIPT_NAME, PATH_INFO) only from the proxy's address.
secure_scheme_headers = {}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Every worker writes its request metrics to files in this folder, so /metrics adds up all the
# workers whichever one answers (metrics.py). Set here, in the master, before any worker imports
# prometheus_client; unless set already, a temporary folder of this run's own.
_OWN_METRICS_DIR = "assettransfer-metrics-"
if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix=_OWN_METRICS_DIR)


def on_starting(server):
    # Counts left by an earlier run would be added to this one's.
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def on_exit(server):
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    if folder.name.startswith(_OWN_METRICS_DIR) and folder.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(folder, ignore_errors=True)
