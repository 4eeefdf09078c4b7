"""The registration client and the submit action against the real registration service
(started by the test), and against real sockets that fail the way networks do."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import registration_client as service
from actions.registration import (
    ActionCancelRegistration,
    ActionCheckRegistration,
    ActionSubmitRegistration,
)
from components.responses import variation_language
from tests.conftest import free_port

DOMAIN = Domain.load("domain").as_dict()


def client_for(url, **kwargs):
    return service.RegistrationClient(base_url=url, token="dev-service-token-change-me",
                                      **{"connect_timeout": 1, "read_timeout": 1, "retries": 2,
                                         "backoff": 0.1, **kwargs})


def details(**changes):
    # a conversation of its own each: the service limits attempts per conversation
    return {"event_id": "avatar-schio", "full_name": "Nino Beridze",
            "email": f"nino.{uuid.uuid4().hex[:8]}@example.org", "language": "ka",
            "sender_id": uuid.uuid4().hex, **changes}


def test_submit_confirms_and_the_same_key_never_registers_twice(backend):
    client = client_for(backend.backend_url)
    body, key = details(), uuid.uuid4().hex
    first = client.submit(key=key, **body)
    again = client.submit(key=key, **body)
    assert first.kind == service.CONFIRMED and len(first.code) == 8
    assert again == first
    assert len(backend.registrations(email=body["email"])) == 1


def test_every_refusal_has_its_outcome(backend):
    client = client_for(backend.backend_url)
    body = details()
    client.submit(key=uuid.uuid4().hex, **body)
    assert client.submit(key=uuid.uuid4().hex, **body).kind == service.ALREADY_REGISTERED
    invalid = client.submit(key=uuid.uuid4().hex, **details(email="not-an-email"))
    assert invalid == service.Outcome(service.INVALID, field="email")
    assert client.submit(key=uuid.uuid4().hex, **details(event_id="no-such-event")).kind == service.REGISTRATION_CLOSED


def test_status_and_cancel_need_the_right_email(backend):
    client = client_for(backend.backend_url)
    body = details()
    code = client.submit(key=uuid.uuid4().hex, **body).code
    sender = body["sender_id"]
    assert client.status(code, "someone.else@example.org", sender_id=sender).kind == service.NOT_FOUND
    assert client.status(code, body["email"], sender_id=sender).kind == service.CONFIRMED
    assert client.cancel(code, body["email"], sender_id=sender).kind == service.CANCELLED
    assert client.status(code, body["email"], sender_id=sender).kind == service.CANCELLED


def test_too_many_attempts_from_one_conversation_is_its_own_error(backend):
    """The service's defaults: 5 registration attempts per conversation per 10 minutes.
    The 6th is refused at once (429, no retry); replays of a key do not count; another
    conversation is not affected."""
    client = client_for(backend.backend_url)
    sender = uuid.uuid4().hex
    keys = [uuid.uuid4().hex for _ in range(5)]
    bodies = [details(sender_id=sender) for _ in keys]
    outcomes = [client.submit(key=key, **body) for key, body in zip(keys, bodies, strict=True)]
    assert {outcome.kind for outcome in outcomes} == {service.CONFIRMED}

    started = time.monotonic()
    with pytest.raises(service.RegistrationRateLimited) as refused:
        client.submit(key=uuid.uuid4().hex, **details(sender_id=sender))
    assert time.monotonic() - started < 1  # answered at once, not retried
    assert 1 <= refused.value.retry_after <= 600
    assert isinstance(refused.value, service.RegistrationServiceUnavailable)

    assert client.submit(key=keys[0], **bodies[0]) == outcomes[0]  # a replay still answers
    assert client.submit(key=uuid.uuid4().hex, **details()).kind == service.CONFIRMED
    assert len(backend.registrations(email=bodies[0]["email"])) == 1


def test_the_service_sees_a_hash_of_the_conversation_not_its_id():
    assert service.client_id("telegram-123456") == hashlib.sha256(b"telegram-123456").hexdigest()[:32]
    assert service._client_headers(None) == {}


def test_nothing_listening_is_unavailable_quickly():
    client = client_for(f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    with pytest.raises(service.RegistrationServiceUnavailable):
        client.submit(key=uuid.uuid4().hex, **details())
    assert time.monotonic() - started < 5


class SilentServer:
    """Accepts connections and never answers: a service slower than any timeout."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        for connection in self.accepted:
            connection.close()
        self.sock.close()


def test_a_service_slower_than_the_timeout_gives_a_bounded_wait():
    silent = SilentServer()
    try:
        client = client_for(silent.url, read_timeout=0.5, retries=2, backoff=0.1)
        started = time.monotonic()
        with pytest.raises(service.RegistrationServiceUnavailable):
            client.submit(key=uuid.uuid4().hex, **details())
        elapsed = time.monotonic() - started
        assert 1.5 <= elapsed < 4, elapsed  # three attempts of 0.5 s, plus backoff
        assert len(silent.accepted) == 3
    finally:
        silent.close()


class FlakyProxy:
    """Forwards to the real service, but answers the first `failures` requests with 500
    (or forwards them and then drops the answer, as a timeout would)."""

    def __init__(self, target, failures=1, lose_answer=False):
        proxy = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                proxy.requests += 1
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                failing = proxy.requests <= failures
                if failing and not lose_answer:
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = requests.request(self.command, target + self.path, data=body, headers=headers, timeout=5)
                if failing:  # processed by the service, but the answer never arrives
                    time.sleep(1.5)
                    return
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_a_500_then_success_is_retried(backend):
    proxy = FlakyProxy(backend.backend_url, failures=1)
    try:
        body = details()
        outcome = client_for(proxy.url).submit(key=uuid.uuid4().hex, **body)
        assert outcome.kind == service.CONFIRMED and proxy.requests == 2
        assert len(backend.registrations(email=body["email"])) == 1
    finally:
        proxy.close()


def test_an_answer_lost_to_a_timeout_is_retried_without_a_second_row(backend):
    proxy = FlakyProxy(backend.backend_url, failures=1, lose_answer=True)
    try:
        body = details()
        outcome = client_for(proxy.url, read_timeout=1).submit(key=uuid.uuid4().hex, **body)
        assert outcome.kind == service.CONFIRMED and proxy.requests == 2
        rows = backend.registrations(email=body["email"])
        assert len(rows) == 1 and rows[0]["confirmation_code"] == outcome.code
    finally:
        proxy.close()


def submit_tracker(slots, sender="citizen"):
    latest = {"text": "/affirm", "intent": {"name": "affirm"}, "entities": [], "language": None}
    events = [{"event": "user", "text": "I want to register", "parse_data": {"language": "en"}},
              {"event": "user", "text": "/affirm", "parse_data": latest}]
    return Tracker(sender, slots, latest, events, False, None, {}, "registration_form")


def run_submit(slots, sender="citizen"):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSubmitRegistration().run(dispatcher, submit_tracker(slots, sender), DOMAIN))
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_submit_action_outage_keeps_answers_and_key_then_registers_once(backend, monkeypatch):
    email = f"outage.{uuid.uuid4().hex[:8]}@example.org"
    slots = {"full_name": "Marco Viola", "email": email, "affiliation": "-", "consent": True,
             "registration_confirmed": True, "registration_key": None}
    monkeypatch.setattr(service, "_client", client_for(f"http://127.0.0.1:{free_port()}"))
    messages, changes = run_submit(slots)
    assert [m["response"] for m in messages] == ["utter_registration_unavailable"]
    key = changes["registration_key"]
    assert key and changes == {"registration_key": key, "registration_confirmed": None}

    monkeypatch.setattr(service, "_client", client_for(backend.backend_url))
    messages, changes = run_submit({**slots, "registration_key": key})
    assert messages[0]["response"] == "utter_registration_confirmed"
    assert changes["registration_code"] == messages[0]["code"]
    assert changes["full_name"] is None and changes["registration_key"] is None
    messages_again, _ = run_submit({**slots, "registration_key": key})  # e.g. a double tap
    assert messages_again[0]["code"] == messages[0]["code"]
    assert len(backend.registrations(email=email)) == 1


def test_submit_action_without_consent_sends_nothing(backend):
    email = f"noconsent.{uuid.uuid4().hex[:8]}@example.org"
    messages, changes = run_submit({"full_name": "X Y", "email": email, "consent": False})
    assert [m["response"] for m in messages] == ["utter_consent_required"]
    assert changes["email"] is None
    assert backend.registrations(email=email) == []


def test_submit_action_over_the_limit_keeps_answers_and_key(backend, monkeypatch):
    """Too many attempts from one conversation: the citizen is told so, in their
    language, and nothing they typed is lost; the kept key registers once later."""
    sender = uuid.uuid4().hex
    client = client_for(backend.backend_url)
    for _ in range(5):  # this conversation's attempts, used up
        client.submit(key=uuid.uuid4().hex, **details(sender_id=sender))
    email = f"limited.{uuid.uuid4().hex[:8]}@example.org"
    slots = {"full_name": "Marco Viola", "email": email, "affiliation": "-", "consent": True,
             "registration_confirmed": True, "registration_key": None}
    monkeypatch.setattr(service, "_client", client)
    messages, changes = run_submit(slots, sender)
    assert [m["response"] for m in messages] == ["utter_registration_too_many_attempts"]
    key = changes["registration_key"]
    assert key and changes == {"registration_key": key, "registration_confirmed": None}
    assert backend.registrations(email=email) == []

    variations = DOMAIN["responses"]["utter_registration_too_many_attempts"]
    assert [variation_language(v) for v in variations] == ["ka", "en"]
    assert "too many attempts" in variations[1]["text"] and "answers are kept" in variations[1]["text"]

    # what the retry sends later (the limit's window over): the same key, the same answers
    messages, changes = run_submit({**slots, "registration_key": key}, uuid.uuid4().hex)
    assert messages[0]["response"] == "utter_registration_confirmed"
    assert len(backend.registrations(email=email)) == 1


def test_checking_and_cancelling_over_the_limit_say_so(backend, monkeypatch):
    """20 look-ups or cancellations per conversation per 10 minutes (guessing codes)."""
    sender = uuid.uuid4().hex
    client = client_for(backend.backend_url)
    for number in range(20):
        assert client.status("ABCDEFGH", f"guess{number}@example.org", sender_id=sender).kind == service.NOT_FOUND
    monkeypatch.setattr(service, "_client", client)
    slots = {"lookup_code": "ABCDEFGH", "lookup_email": "nino@example.org", "cancel_confirmed": True}
    tracker = Tracker(sender, slots, {"text": "/affirm"}, [], False, None, {}, None)
    for action in (ActionCheckRegistration(), ActionCancelRegistration()):
        dispatcher = CollectingDispatcher()
        events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
        assert [m["response"] for m in dispatcher.messages] == ["utter_too_many_attempts"]
        assert {e["name"] for e in events} == {"lookup_code", "lookup_email", "cancel_confirmed"}


def _action_call(action, sender, slots, domain):
    return {"next_action": action, "sender_id": sender, "version": "3.6.2", "domain": domain,
            "tracker": {"sender_id": sender, "slots": slots, "paused": False, "events": [],
                        "latest_message": {"text": "/affirm", "intent": {"name": "affirm"}, "entities": []},
                        "latest_event_time": None, "followup_action": None, "active_loop": {},
                        "latest_action_name": "action_listen", "latest_input_channel": "rest"}}


@pytest.mark.e2e
def test_a_silent_service_holds_up_only_its_own_conversation(tmp_path):
    """The real action server, with the registration service never answering: while one
    citizen's registration waits for it, others are still answered at once."""
    from tests.conftest import Servers

    silent = SilentServer()
    running = Servers(None, tmp_path, extra_env={
        "REGISTRATION_SERVICE_URL": silent.url, "REGISTRATION_READ_TIMEOUT": "4", "REGISTRATION_RETRIES": "0"})
    try:
        running.start("actions")
        webhook = f"http://127.0.0.1:{running.action_port}/webhook"
        slots = {"full_name": "Marco Viola", "email": "marco@example.org", "affiliation": "-",
                 "consent": True, "registration_confirmed": True}
        waiting = threading.Thread(target=requests.post, args=(webhook,), daemon=True, kwargs={
            "json": _action_call("action_submit_registration", "waiting", slots, DOMAIN), "timeout": 30})
        waiting.start()
        deadline = time.monotonic() + 5
        while not silent.accepted and time.monotonic() < deadline:
            time.sleep(0.05)
        assert silent.accepted, "the submit action never called the service"
        started = time.monotonic()
        answer = requests.post(webhook, json=_action_call("action_answer_event", "other", {}, DOMAIN), timeout=30)
        assert answer.status_code == 200 and answer.json()["responses"]
        assert time.monotonic() - started < 2, "the other conversation waited for the silent service"
        assert waiting.is_alive(), "the registration should still be waiting for the service"
        waiting.join(timeout=20)
    finally:
        running.stop_all()
        silent.close()
