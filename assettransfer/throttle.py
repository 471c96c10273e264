"""Throttling of guesses, with Flask-Limiter: who is counted, for what, and for how long.

* Signing in: each failed attempt counts against the e-mail address tried
  (``SIGN_IN_LIMIT_PER_ACCOUNT``) and against the client's address (``SIGN_IN_LIMIT_PER_ADDRESS``);
  past either limit every attempt is refused, the right password too, until the window ends.
* The second step of signing in: each wrong two-factor code counts against the account that gave
  its password (``TWO_FACTOR_LIMIT_PER_ACCOUNT``).
* Signing up: each account asked for counts against the client's address
  (``SIGN_UP_LIMIT_PER_ADDRESS``), which slows the making of accounts in bulk.
* Reset links: each link asked for counts against the e-mail address typed
  (``PASSWORD_RESET_LIMIT_PER_ACCOUNT``; whether or not it has an account, so the limit says
  nothing about who has one) and against the client's address
  (``PASSWORD_RESET_LIMIT_PER_ADDRESS``). Each confirmation link sent again counts against the
  account (``CONFIRM_EMAIL_LIMIT_PER_ACCOUNT``).
* Representations made online on the public register: each one sent, made or refused, counts
  against the client's address (``REPRESENTATION_LIMIT_PER_ADDRESS``), which slows spam.
* Checking documents (``/verify`` and the API's): each check counts against the client's address
  (``VERIFY_LIMIT_PER_ADDRESS``): each reads an upload of up to ``VERIFY_MAX_BYTES`` and checks its
  signatures, work that anyone could otherwise ask for without end.
* The API: each request refused for its token (401) counts against the client's address
  (``API_TOKEN_LIMIT_PER_ADDRESS``), shared by every operation.

A request over a limit raises ``RateLimitExceeded`` (429); the page and the problem built for it
say when to try again (:func:`retry_after`), and the breach is logged as a ``throttled`` event.
Counts live where ``RATELIMIT_STORAGE_URI`` says: memory (one process) by default, Redis when
several processes serve the app. The client's address is the connection's, unless
``TRUSTED_PROXIES`` says how many proxies' ``X-Forwarded-For`` entries to believe (``create_app``
applies werkzeug's ``ProxyFix``).
"""

import logging
import math
import time
from collections.abc import Callable

from flask import Blueprint, Response, current_app, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address

from .security_log import security_event

# When the configured storage (Redis) fails, keep counting in this process's memory rather than
# answer every sign-in with an error or stop throttling.
limiter = Limiter(key_func=get_remote_address, in_memory_fallback_enabled=True)


def _limit(setting: str, key_func: Callable[[], str], counted: Callable[[Response], bool],
           shared_scope: str | None = None, methods: tuple[str, ...] | None = ("POST",)):
    """The limit named by ``setting``, counting the requests (of ``methods``; None: all) whose
    response ``counted`` accepts against ``key_func()``, in one count for every route it decorates
    when ``shared_scope`` names one; logged by the setting's name when it is broken."""

    def breached(limit: RequestLimit) -> None:
        security_event("throttled", logging.WARNING, limit=setting, rate=str(limit.limit))

    def value() -> str:  # read per request, from the app serving it
        return current_app.config[setting]

    options = dict(key_func=key_func, deduct_when=counted, on_breach=breached, methods=methods)
    if shared_scope:
        return limiter.shared_limit(value, scope=shared_scope, **options)
    return limiter.limit(value, scope=setting.lower(), **options)


def _email_tried() -> str:
    # As accounts.authenticate finds the account, so case and spaces cannot dodge the count.
    return (request.form.get("email") or "").strip().lower() or "(none)"


def _did_not_sign_in(response: Response) -> bool:
    # A sign-in redirects; the form shown again (200, or 400 for its CSRF token) is a failure.
    # A request refused as throttled (429) is not counted again, so the window still ends.
    return response.status_code not in (302, 429)


def _code_refused(response: Response) -> bool:
    return response.status_code == 422


def _asked_for(response: Response) -> bool:
    # An account or a link asked for is answered with a redirect; a form shown again is not.
    return response.status_code == 302


def _token_refused(response: Response) -> bool:
    return response.status_code == 401


def sign_in(view):
    """Throttle failed sign-ins per account and per client address."""
    view = _limit("SIGN_IN_LIMIT_PER_ACCOUNT", _email_tried, _did_not_sign_in)(view)
    return _limit("SIGN_IN_LIMIT_PER_ADDRESS", get_remote_address, _did_not_sign_in)(view)


def second_factor(account: Callable[[], str]):
    """Throttle wrong two-factor codes per account, as ``account()`` names it, counted together
    across every page that takes one (signing in, setting up, turning off)."""
    return _limit("TWO_FACTOR_LIMIT_PER_ACCOUNT", account, _code_refused,
                  shared_scope="two-factor")


def sign_up(view):
    """Throttle the accounts asked for per client address."""
    return _limit("SIGN_UP_LIMIT_PER_ADDRESS", get_remote_address, _asked_for)(view)


def password_reset(view):
    """Throttle the reset links asked for per e-mail address typed and per client address."""
    view = _limit("PASSWORD_RESET_LIMIT_PER_ACCOUNT", _email_tried, _asked_for)(view)
    return _limit("PASSWORD_RESET_LIMIT_PER_ADDRESS", get_remote_address, _asked_for)(view)


def confirmation_link(account: Callable[[], str]):
    """Throttle the confirmation links sent again to the account ``account()`` names."""
    return _limit("CONFIRM_EMAIL_LIMIT_PER_ACCOUNT", account, _asked_for)


def _sent(response: Response) -> bool:
    return response.status_code != 429


def representation(view):
    """Throttle the representations sent online per client address."""
    return _limit("REPRESENTATION_LIMIT_PER_ADDRESS", get_remote_address, _sent)(view)


def verification(view):
    """Throttle the checks of documents per client address, the page's and the API's together."""
    return _limit("VERIFY_LIMIT_PER_ADDRESS", get_remote_address, _sent,
                  shared_scope="verify")(view)


def api_tokens(bp: Blueprint) -> None:
    """Throttle refused API tokens per client address, across every operation of ``bp``."""
    _limit("API_TOKEN_LIMIT_PER_ADDRESS", get_remote_address, _token_refused,
           shared_scope="api-token", methods=None)(bp)


def retry_after() -> int:
    """Whole seconds until the limit the current request broke lets it through (at least 1)."""
    limit = limiter.current_limit
    if limit is None:
        return 1
    return max(1, math.ceil(limit.reset_at - time.time()))
