"""Property-based, as ``tests/api/test_schemathesis.py`` is for the API: hostile values in every
page's query string and every form's fields never get a server error, whoever sends them.

The pages are ``test_authorisation.RULES``, which ``test_every_endpoint_has_a_rule`` keeps equal
to the url map, so a new page is fuzzed as soon as it has its rule. The fields are found by
rendering each page as each role and reading its forms: a GET form's fields go in the page's
query string (with ``page``, which every list takes), a POST form's fields are posted to the form's
action, and a file input gets a file with a hostile name. Each example sends some of the fields
(a missing field is a case too), each with a hostile value or a list of them; and then each of
``EVERY_FIELD`` in all the fields at once.
"""
import io
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from flask import g, url_for
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD
from tests.web.test_authorisation import ROLES, RULES, world  # noqa: F401
from tests.workflow.conftest import act, asset, new_application, people  # noqa: F401

EXAMPLES_PER_FORM = 3
# Besides the random examples, each form is sent these in every field at once.
EVERY_FIELD = ("\x00", "9" * 20, "x" * 20_000)
HOSTILE = (
    "\x00", "a\x00b", "\ud800", "x\udfffy", "9" * 20, "-9" + "9" * 19, "1e999", "NaN", "-1", "0",
    "", " ", "x" * 20_000, "true", "[]", "{}", "<script>alert(1)</script>", "2026-02-30",
    "../../etc/passwd", "%00", "council-cat", "1",
)
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20),
                   st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=3))


class Form:
    def __init__(self, method: str, action: str):
        self.method, self.action = method, action
        self.fields: set[str] = set()
        self.files: set[str] = set()


class _Forms(HTMLParser):
    """The forms of a page: method, action, and the names of their inputs."""

    def __init__(self, url: str):
        super().__init__()
        self.url, self.forms, self.current = url, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(attrs.get("action") or self.url).path or urlsplit(self.url).path
            self.current = Form((attrs.get("method") or "get").upper(), action)
            self.forms.append(self.current)
        elif tag in ("input", "select", "textarea", "button") and self.current and "name" in attrs:
            target = self.current.files if attrs.get("type") == "file" else self.current.fields
            target.add(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def forms_of(url: str, html: str) -> list[Form]:
    parser = _Forms(url)
    parser.feed(html)
    return parser.forms


def fresh_client(app, user):
    client = app.test_client()
    g.pop("_login_user", None)
    if user is not None:
        signed = client.post("/account/sign-in", data={"email": user.email, "password": PASSWORD})
        assert signed.status_code == 302, f"{user.email} could not sign in"
    g.pop("_login_user", None)
    return client


def encoded(fields: dict) -> str:
    """A query string or urlencoded body, lone surrogates sent as the bytes they would be."""
    return urlencode(fields, doseq=True, encoding="utf-8", errors="surrogatepass")


def send(client, method: str, url: str, fields: dict, files: dict):
    if method == "GET":
        return client.get(url, query_string=encoded(fields))
    if not files:
        return client.post(url, data=encoded(fields),
                           content_type="application/x-www-form-urlencoded")
    # multipart encodes names as UTF-8 itself: keep what it can encode; NUL stays.
    data = {name: [v.encode("utf-8", "replace").decode() for v in
                   (value if isinstance(value, list) else [value])]
            for name, value in fields.items()}
    for name, filename in files.items():
        data[name] = (io.BytesIO(b"%PDF-1.4 not really"),
                      filename.encode("utf-8", "replace").decode())
    return client.post(url, data=data, content_type="multipart/form-data")


def targets(app, user, world):  # noqa: F811
    """(method, url, fields, file fields) for each page's query and each form it shows."""
    found = {}
    client = fresh_client(app, user)
    for rule in RULES:
        args = {k: world[v[1:]] if isinstance(v, str) and v.startswith("@") else v
                for k, v in rule.args.items()}
        with app.test_request_context():
            url = url_for(rule.endpoint, **args)
        if rule.method == "POST":
            found.setdefault(("POST", url), (set(), set()))
            continue
        response = client.get(url)
        found.setdefault(("GET", url), ({"page"}, set()))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for form in forms_of(url, response.get_data(as_text=True)):
            fields, files = found.setdefault((form.method, form.action), (set(), set()))
            fields |= form.fields
            files |= form.files
    return [(method, url, sorted(fields), sorted(files))
            for (method, url), (fields, files) in found.items()]


def test_hostile_input_never_gets_a_server_error(app, people, world):  # noqa: F811
    failures = []
    for role in ROLES:
        user = None if role == "anonymous" else getattr(people, role)
        for method, url, fields, files in targets(app, user, world):
            if url.startswith("/account/sign-out"):
                continue  # it ends the session the rest of the run needs; an empty form is sent
                # by test_authorisation, and it reads no input
            sent = st.fixed_dictionaries({}, optional=dict.fromkeys(fields, VALUES))
            names = st.fixed_dictionaries({}, optional=dict.fromkeys(files, st.sampled_from(
                ("\x00.pdf", "a\x00b.pdf", "x" * 5000 + ".pdf", "../../x.pdf", "\ud800.pdf"))))
            client = fresh_client(app, user)

            @given(fields=sent, files=names)
            @example(fields=dict.fromkeys(fields, EVERY_FIELD[0]), files={})
            @example(fields=dict.fromkeys(fields, EVERY_FIELD[1]), files={})
            @example(fields=dict.fromkeys(fields, EVERY_FIELD[2]), files={})
            @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))
            def run(fields, files):
                note(f"as {role}: {method} {url}")
                response = send(client, method, url, fields, files)
                g.pop("_login_user", None)
                if response.status_code >= 500:
                    failures.append(f"{role}: {method} {url} {fields!r} {files!r} -> "
                                    f"{response.status_code}")

            run()
    assert not failures, "\n".join(failures[:30])
