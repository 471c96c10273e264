"""A security smoke test of a running app, from the outside, as an attacker's first look would be:

    .venv/bin/python scripts/security_smoke.py [--url URL] [--email E --password P]

Prints the security headers of a few pages, the throttling of wrong sign-ins (the 429 and its
Retry-After), whether a session cookie copied before signing out still works after, and a fuzz
summary: NUL bytes, invalid UTF-8, huge numbers and long strings in every GET filter (each field
of each GET form on the listed pages, ``page``, and the calendar's ``year`` and ``nation``) and
in the sign-in and sign-up forms, counted by status.
Exit 1 if any answer was a 5xx, or a check failed.

Without ``--url`` it starts the app itself on 127.0.0.1 (a free port) with a temporary SQLite
database holding the demo authority, as the browser tests' live server does, with production's
defaults (CSRF on, the cookie Secure, so HSTS is sent). Against a live server it signs in as
``--email`` (a council account, to reach the council's filters) and deliberately fails six
sign-ins for ``--throttle-email``: that account is then locked out for a minute.
"""

import argparse
import http.client
import re
import secrets
import sys
import tempfile
import threading
from collections import Counter
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote_from_bytes, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEMO_PASSWORD = "demo-password-2026"
SECURITY_HEADERS = ("Content-Security-Policy", "Strict-Transport-Security",
                    "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                    "Cache-Control")
PUBLIC_PAGES = ("/", "/assets", "/account/sign-in")
SIGNED_IN_PAGES = ("/council/", "/council/assets/", "/council/users/", "/council/calendar/")
# Query parameters read by pages without a form for them; every page is also given ``page``.
QUERY_PARAMETERS = {"/council/calendar/": ("year", "nation")}
# Values no form expects: each is sent, percent-encoded, as every field in turn.
NASTY = [b"\x00", b"a\x00b", b"\xff\xfe", b"9" * 400, b"-1", b"1e309", b"x" * 10_000,
         b"' OR 1=1 --", b"<script>alert(1)</script>", b"../../../../etc/passwd", b"%00",
         b"\xe2\x80\xae", b"[]", b"{}", b" "]


class Client:
    """HTTP/1.1 to one server with one cookie jar, never following redirects."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host = parts.netloc
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None):
        connection_class = (http.client.HTTPSConnection if self.https
                            else http.client.HTTPConnection)
        connection = connection_class(self.host, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name] = value
        return response.status, response.headers, text

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict):
        return self.request("POST", path, urlencode(fields))


class Forms(HTMLParser):
    """Each form on a page: its method, action and the names of its fields."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").lower(),
                               "action": attrs.get("action"), "fields": {}})
        elif tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value") or "")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    return match.group(1) if match else ""


def sign_in(client: Client, email: str, password: str) -> int:
    _, _, html = client.get("/account/sign-in")
    status, _, _ = client.post("/account/sign-in", {
        "csrf_token": csrf_token(html), "email": email, "password": password})
    return status


def show_headers(client: Client, paths) -> None:
    for path in paths:
        status, headers, _ = client.get(path)
        print(f"  GET {path} -> {status}")
        for name in SECURITY_HEADERS:
            print(f"    {name}: {headers.get(name, '(none)')}")


def show_throttling(base_url: str, email: str) -> bool:
    client = Client(base_url)
    for attempt in range(1, 7):
        status, headers, _ = client.post("/account/sign-in", {
            "csrf_token": csrf_token(client.get("/account/sign-in")[2]), "email": email,
            "password": f"wrong password {attempt}"})
        retry = f", Retry-After: {headers['Retry-After']}" if "Retry-After" in headers else ""
        print(f"  wrong sign-in {attempt} for {email} -> {status}{retry}")
    return status == 429 and "Retry-After" in headers


def show_sign_out(base_url: str, email: str, password: str) -> bool:
    client = Client(base_url)
    signed_in = sign_in(client, email, password)
    copied = dict(client.cookies)
    before = client.get("/account/")[0]
    _, _, html = client.get("/account/")
    client.post("/account/sign-out", {"csrf_token": csrf_token(html)})
    thief = Client(base_url)
    thief.cookies = copied
    status, headers, _ = thief.get("/account/")
    print(f"  sign in -> {signed_in}; /account/ with the cookie -> {before}")
    print(f"  after signing out, /account/ with the copied cookie -> {status} "
          f"{headers.get('Location', '')}")
    return before == 200 and status != 200


def fuzz(client: Client, pages) -> Counter:
    statuses: Counter = Counter()
    failures: list[str] = []

    def send(method, path, body=None):
        status, _, _ = client.request(method, path, body)
        statuses[status] += 1
        if status >= 500:
            failures.append(f"{method} {path[:120]} {(body or '')[:120]}")

    for page in pages:
        sent_before = statuses.total()
        _, _, html = client.get(page)
        queries = {page: {"page", *QUERY_PARAMETERS.get(page, ())}}
        for form in Forms(html).forms:
            action = (form["action"] or page).split("#")[0]
            fields = {k: v for k, v in form["fields"].items() if k != "csrf_token"}
            if form["method"] == "get":
                queries.setdefault(action, {"page"}).update(fields)
            elif action.startswith("/account/sign-") and action != "/account/sign-out":
                token = csrf_token(html)
                for name in fields:
                    for value in NASTY:
                        body = urlencode({**fields, "csrf_token": token}) + (
                            f"&{name}={quote_from_bytes(value)}")
                        send("POST", action, body)
        for path, names in queries.items():
            for name in sorted(names):
                for value in NASTY:
                    send("GET", f"{path}?{name}={quote_from_bytes(value)}")
        print(f"  {page}: {statuses.total() - sent_before} requests")
    for failure in failures:
        print(f"  5xx: {failure}")
    return statuses


@contextmanager
def demo_server():
    """The app on 127.0.0.1 at a free port, on a temporary SQLite database with the demo."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from assettransfer import create_app, demo
    from assettransfer.services.transaction import transaction

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "SECRET_KEY": secrets.token_hex(32),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/smoke.sqlite",
            "STORAGE_DIR": f"{folder}/storage",
        })
        with app.app_context():
            upgrade()
            with transaction():
                demo.seed(DEMO_PASSWORD)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()


def run(base_url: str, email: str, password: str, throttle_email: str) -> int:
    print(f"Security smoke test of {base_url}\n\nHeaders:")
    anonymous = Client(base_url)
    show_headers(anonymous, PUBLIC_PAGES)
    staff = Client(base_url)
    if sign_in(staff, email, password) != 302:
        print(f"Could not sign in as {email}")
        return 1
    show_headers(staff, SIGNED_IN_PAGES[:1])

    print("\nThrottling:")
    throttled = show_throttling(base_url, throttle_email)
    print("\nSession after signing out:")
    session_ended = show_sign_out(base_url, email, password)

    print("\nFuzzing forms and query parameters:")
    # Signing out ended every session of this account: sign in afresh.
    staff = Client(base_url)
    sign_in(staff, email, password)
    statuses = fuzz(staff, SIGNED_IN_PAGES) + fuzz(anonymous, PUBLIC_PAGES + ("/account/sign-up",))
    print("  " + ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items())))
    errors = sum(count for status, count in statuses.items() if status >= 500)
    print(f"  {errors} × 5xx")

    checks = {"wrong sign-ins throttled with Retry-After": throttled,
              "a copied cookie refused after signing out": session_ended,
              "no 5xx answers": errors == 0}
    print()
    for check, ok in checks.items():
        print(f"{'ok  ' if ok else 'FAIL'} {check}")
    return 0 if all(checks.values()) else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server; default: start one with the demo")
    parser.add_argument("--email", default="admin@demo.example", help="a council account")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--throttle-email", default="officer2@demo.example",
                        help="an account to lock out for a minute with wrong sign-ins")
    args = parser.parse_args()
    if args.url:
        return run(args.url.rstrip("/"), args.email, args.password, args.throttle_email)
    with demo_server() as url:
        return run(url, args.email, args.password, args.throttle_email)


if __name__ == "__main__":
    sys.exit(main())
