"""Prometheus metrics, with the official client (``prometheus_client``).

Every request is counted and timed by the endpoint that answered it, its method and its status
(``assettransfer_http_requests_total``, ``assettransfer_http_request_duration_seconds``), from
the one measurement ``request_log`` also writes its line from. Figures read from the database
when Prometheus asks (jobs waiting, the age of the last sweep) are gauges added with
:func:`add_gauge` by whoever owns the figure, with a function that reads it.

Under gunicorn every worker counts its own requests: with ``PROMETHEUS_MULTIPROC_DIR`` set (as
``gunicorn.conf.py`` does) each writes them to files there and :func:`exposition` adds up all the
workers' files, whichever worker answers the scrape. Who may read the figures is decided by the
view (``web/ops.py``). This module imports nothing of the application, so every layer may use it.
"""

import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from flask import Flask, current_app
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

_EXTENSION_KEY = "assettransfer.metrics"
_LABELS = ("endpoint", "method", "status")
_logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gauge:
    name: str
    documentation: str
    # Called when Prometheus asks, in the app context of the scrape; None: no figure to give.
    read: Callable[[], float | None]


class _Metrics:
    """One app's request metrics and gauges, in a registry of its own: the tests' many apps each
    count from zero, and no app finds its metrics already registered by another."""

    def __init__(self):
        self.registry = CollectorRegistry()
        self.requests = Counter("assettransfer_http_requests", "HTTP requests answered",
                                _LABELS, registry=self.registry)
        self.durations = Histogram("assettransfer_http_request_duration_seconds",
                                   "Time taken to answer HTTP requests", _LABELS,
                                   registry=self.registry)
        self.gauges: list[Gauge] = []


class _Gauges:
    """A collector that reads each added gauge at scrape time."""

    def __init__(self, gauges: list[Gauge]):
        self.gauges = gauges

    def collect(self) -> Iterator[Metric]:
        for gauge in self.gauges:
            try:
                value = gauge.read()
            except Exception:
                # One figure that cannot be read leaves it out, not the request metrics too.
                _logger.exception("Could not read the gauge %s", gauge.name)
                continue
            if value is not None:
                yield GaugeMetricFamily(gauge.name, gauge.documentation, value=value)


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION_KEY] = _Metrics()


def _metrics(app: Flask) -> _Metrics:
    return app.extensions[_EXTENSION_KEY]


def add_gauge(app: Flask, name: str, documentation: str,
              read: Callable[[], float | None]) -> None:
    """Publish ``read()`` as the gauge ``name``, read afresh at each scrape (e.g.
    ``add_gauge(app, "assettransfer_jobs_pending", "Jobs waiting to run", jobs.pending_count)``).
    """
    _metrics(app).gauges.append(Gauge(name, documentation, read))


def observe_request(endpoint: str | None, method: str, status: int, seconds: float) -> None:
    """Count one answered request of the current app, and how long it took."""
    metrics = _metrics(current_app)
    labels = (endpoint or "(none)", method, str(status))
    metrics.requests.labels(*labels).inc()
    metrics.durations.labels(*labels).observe(seconds)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def exposition() -> tuple[bytes, str]:
    """Every metric of the current app in Prometheus's text format, and its content type: the
    request metrics of every worker (or of this process alone), then the gauges."""
    metrics = _metrics(current_app)
    registry = CollectorRegistry()
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(metrics.registry)
    registry.register(_Gauges(metrics.gauges))
    return generate_latest(registry), CONTENT_TYPE_LATEST
