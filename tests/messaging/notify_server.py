"""A stand-in for GOV.UK Notify's API on 127.0.0.1 (http.server, in a thread) that checks each
request as Notify does (https://docs.notifications.service.gov.uk/rest-api.html): its path, its
JSON Web Token (HS256 with the key's secret, ``iss`` the service id, ``iat`` within 30 seconds)
and its fields; and answers as Notify does: 201 with the notification's id, or Notify's errors."""

import base64
import binascii
import json
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"assettransfer_test-{SERVICE_ID}-{SECRET}"
TOKEN_BOUND_SECONDS = 30
EMAIL_FIELDS = {"email_address", "template_id", "personalisation", "reference",
                "email_reply_to_id", "one_click_unsubscribe_url"}
LETTER_FIELDS = {"template_id", "personalisation", "reference"}
PRECOMPILED_FIELDS = {"reference", "content", "postage"}


@dataclass
class Notify:
    port: int = 0
    received: list = field(default_factory=list)  # (path, JSON body) of each accepted request
    refused: list = field(default_factory=list)  # what the checks found wrong, per request
    answers: list = field(default_factory=list)  # (status, errors) to give the next requests
    answered_ids: list = field(default_factory=list)  # the notifications' ids, in order

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def answer_next(self, status: int, error: str, message: str) -> None:
        self.answers.append((status, [{"error": error, "message": message}]))

    def check(self, path: str, headers, body: dict) -> list[str]:
        problems = []
        if headers.get("Content-Type") != "application/json":
            problems.append("Content-Type must be application/json")
        if path == "/v2/notifications/email":
            problems += check_fields(body, {"email_address", "template_id"}, EMAIL_FIELDS)
        elif path == "/v2/notifications/letter" and "content" in body:
            problems += check_fields(body, {"reference", "content"}, PRECOMPILED_FIELDS)
            problems += check_pdf(body.get("content"))
        elif path == "/v2/notifications/letter":
            problems += check_fields(body, {"template_id", "personalisation"}, LETTER_FIELDS)
            problems += check_address(body.get("personalisation") or {})
        else:
            problems.append(f"no such endpoint {path}")
        if "template_id" in body:
            problems += check_uuid(body["template_id"], "template_id")
        if not isinstance(body.get("personalisation", {}), dict):
            problems.append("personalisation must be an object")
        for name, value in (body.get("personalisation") or {}).items():
            if isinstance(value, dict):  # a file to link to from an e-mail
                problems += [f"{name}: {p}" for p in check_pdf(value.get("file"))]
                if not str(value.get("filename") or "").endswith(".pdf"):
                    problems.append(f"{name}: filename must end with its extension")
        return problems


def check_token(authorization: str) -> list[str]:
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer":
        return ["Authorization must be 'Bearer <JSON Web Token>'"]
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})
    except jwt.PyJWTError as error:
        return [f"token: {error}"]
    problems = [] if header.get("typ") == "JWT" else ["token header typ must be JWT"]
    if claims.get("iss") != SERVICE_ID:
        problems.append(f"token iss {claims.get('iss')!r} is not the service id")
    if abs(time.time() - claims.get("iat", 0)) > TOKEN_BOUND_SECONDS:
        problems.append("token iat is not within 30 seconds of now")
    return problems


def check_fields(body: dict, required: set, allowed: set) -> list[str]:
    return ([f"{name} is a required property" for name in sorted(required - set(body))]
            + [f"Additional properties are not allowed ({name})"
               for name in sorted(set(body) - allowed)])


def check_uuid(value, name: str) -> list[str]:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return [f"{name} is not a valid UUID"]
    return []


def check_pdf(content) -> list[str]:
    try:
        pdf = base64.b64decode(content or "", validate=True)
    except binascii.Error:
        return ["content is not base64"]
    return [] if pdf.startswith(b"%PDF") else ["content is not a PDF"]


def check_address(personalisation: dict) -> list[str]:
    lines = [personalisation.get(f"address_line_{n}") for n in range(1, 8)]
    given = [line for line in lines if line]
    if len(given) < 3:
        return ["Address must be at least 3 lines"]
    if lines[:len(given)] != given:
        return ["address lines must be given from address_line_1 on"]
    return []


class _Handler(BaseHTTPRequestHandler):
    notify: Notify

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        try:
            body = json.loads(self.rfile.read(length))
        except ValueError:
            body = {}
        token_problems = check_token(self.headers.get("Authorization", ""))
        problems = token_problems or self.notify.check(self.path, self.headers, body)
        if problems:
            self.notify.refused.append(problems)
            status, kind = (403, "AuthError") if token_problems else (400, "ValidationError")
            errors = [{"error": kind, "message": problem} for problem in problems]
            return self.reply(status, {"status_code": status, "errors": errors})
        if self.notify.answers:
            status, errors = self.notify.answers.pop(0)
            return self.reply(status, {"status_code": status, "errors": errors})
        self.notify.received.append((self.path, body))
        notification_id = str(uuid.uuid4())
        self.notify.answered_ids.append(notification_id)
        return self.reply(201, {"id": notification_id, "reference": body.get("reference"),
                                "uri": f"{self.notify.url}/v2/notifications/{notification_id}"})

    def reply(self, status: int, document: dict) -> None:
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet: the tests read what was received
        pass


@contextmanager
def notify_server():
    notify = Notify()
    handler = type("Handler", (_Handler,), {"notify": notify})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    notify.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield notify
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
