"""Several Rasa instances behind HAProxy (`make run-scaled`, docs/deploy.md), with real
processes: scripts/run-scaled.sh is started once for this module, as `make run-scaled`
starts it, on free ports of 127.0.0.1 and with its PostgreSQL cluster, Redis data and
generated files in a temporary folder. Consecutive messages of one conversation land on
different Rasa instances (HAProxy's X-Served-By header says which), and the conversation
still keeps its language, its form and its answers, and registers once; a burst of
messages leaves the conversation in order; one instance killed, Redis or PostgreSQL
restarted mid-registration: the conversation goes on and registers once.

Needs Debian's haproxy, redis-server and postgresql: scripts/install-scaled.sh installs them
(`make test` runs it first, and so does this module)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from typing import Any, Iterator

import psycopg2
import pytest
import requests
import socketio

from channels.notices import notice
from components.georgian import georgian_share
from tests.conftest import PROJECT_DIR, ScaledServers
from tests.test_registration_conversation import payloads, text_of, unique_email

pytestmark = pytest.mark.e2e

PASSWORD = "scaled-test-password"
ADMIN_TOKEN = "dev-admin-token-change-me"
START_TIMEOUT = ScaledServers.START_TIMEOUT


class Scaled(ScaledServers):
    """scripts/run-scaled.sh with two Rasa instances and two action servers (tests/conftest.py's
    ScaledServers, shared with the bench), and what the tests ask of it."""

    def __init__(self, model: Path, folder: Path) -> None:
        super().__init__(model, folder, rasa_instances=2, action_instances=2, postgres_password=PASSWORD,
                         extra_env={"LOG_LEVEL": "INFO"})

    def say(self, sender: str, text: str) -> tuple[list[dict], str]:
        """One REST message through HAProxy: the answers, and the instance that gave them."""
        response = requests.post(f"{self.url}/webhooks/rest/webhook", timeout=90,
                                 json={"sender": sender, "message": text})
        assert response.status_code == 200, (text, response.status_code, response.text[:300])
        return response.json(), self.served_by(response)

    def registrations(self, email: str) -> list[dict]:
        response = requests.get(f"{self.backend_url}/api/v1/registrations", params={"email": email},
                                timeout=10, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        response.raise_for_status()
        return response.json()["items"]

    def events(self, sender: str) -> list[dict]:
        """The conversation as Rasa's SQL tracker store holds it in PostgreSQL, in order."""
        connection = psycopg2.connect(host="127.0.0.1", port=self.postgres_port, dbname="rasa",
                                      user="avatar", password=PASSWORD, connect_timeout=5)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
                return [json.loads(row[0]) for row in cursor.fetchall()]
        finally:
            connection.close()

    @contextmanager
    def down(self, name: str, port: int, how: signal.Signals) -> Iterator[None]:
        """`name`'s server stopped by the signal `how` and kept down (its keep-running.sh loop
        paused) inside the block; started again by that loop after it."""
        keeper = self.pid(f"{name}.keeper")
        os.kill(keeper, signal.SIGSTOP)
        try:
            os.kill(self.pid(name), how)
            deadline = time.monotonic() + 20
            while self.answers_on(port):
                assert time.monotonic() < deadline, f"{name} did not stop"
                time.sleep(0.1)
            yield
        finally:
            os.kill(keeper, signal.SIGCONT)
        self.wait_for_port(port)

    @staticmethod
    def answers_on(port: int) -> bool:
        with socket.socket() as probe:
            probe.settimeout(1)
            return probe.connect_ex(("127.0.0.1", port)) == 0

    def wait_for_port(self, port: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.answers_on(port):
                return
            time.sleep(0.2)
        raise AssertionError(f"nothing came back on port {port} in {timeout} s:\n{self.tail()}")


@pytest.fixture(scope="module")
def scaled(model_path: Path) -> Iterator[Scaled]:
    subprocess.run(["scripts/install-scaled.sh"], cwd=PROJECT_DIR, check=True, timeout=900)
    # not under pytest's own temporary folder: that one is closed to the `postgres` user,
    # which runs the cluster when the tests run as root
    folder = Path(tempfile.mkdtemp(prefix="avatar-scaled-"))
    folder.chmod(0o755)
    running = Scaled(model_path, folder)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)


class Conversation:
    """One citizen's conversation over REST, remembering which instance answered each turn."""

    def __init__(self, scaled: Scaled) -> None:
        self.scaled = scaled
        self.sender = uuid.uuid4().hex
        self.served: list[str] = []

    def say(self, text: str) -> list[dict]:
        answers, served_by = self.scaled.say(self.sender, text)
        self.served.append(served_by)
        return answers


def test_a_conversation_alternating_between_instances_keeps_its_form_and_registers_once(scaled):
    conversation = Conversation(scaled)
    email = unique_email("scaled")
    asked_name = conversation.say("მინდა დავრეგისტრირდე ღონისძიებაზე")
    asked_email = conversation.say("ნინო ბერიძე")
    asked_affiliation = conversation.say(email)
    assert "/deny" in payloads(asked_affiliation), text_of(asked_affiliation)
    asked_consent = conversation.say("/deny")
    assert {"/affirm", "/deny"} <= set(payloads(asked_consent)), text_of(asked_consent)
    summary = conversation.say("/affirm")
    assert "ნინო ბერიძე" in text_of(summary) and email in text_of(summary), "an answer was lost"
    done = conversation.say("/affirm")
    # every message went to the other instance than the one before
    assert set(conversation.served) == {"rasa1", "rasa2"}, conversation.served
    assert all(a != b for a, b in pairwise(conversation.served)), conversation.served
    # the language stayed Georgian on both instances
    for answers in (asked_name, asked_email, asked_affiliation, asked_consent, summary, done):
        assert georgian_share(text_of(answers)) > 0.3, text_of(answers)
    rows = scaled.registrations(email)
    assert len(rows) == 1, rows
    assert rows[0]["full_name"] == "ნინო ბერიძე" and rows[0]["language"] == "ka"
    assert rows[0]["confirmation_code"] in text_of(done)


def test_socketio_through_the_proxy_stays_on_one_instance(scaled):
    """The widget's protocol through HAProxy, on long polling (every poll a separate HTTP
    request, which must reach the process holding the session): HAProxy's cookie names
    the instance, and the answers come."""
    def served(instance: str) -> str:
        response = requests.get(f"{scaled.url}/socket.io/", params={"EIO": "4", "transport": "polling"},
                                cookies={"AVATAR_RASA": instance}, timeout=10)
        assert response.ok, response.status_code
        return scaled.served_by(response)

    for instance in ("rasa1", "rasa2"):
        # an instance that missed two health checks (2 s each) while busy with the previous
        # test is out until it passes two again: its cookie goes elsewhere meanwhile
        # (option redispatch). Without the cookie, "balance source" sends every request from
        # here to one instance, so the other one is reached only through its cookie.
        deadline = time.monotonic() + 15
        while served(instance) != instance:
            assert time.monotonic() < deadline, f"the cookie for {instance} never reached it"
            time.sleep(0.5)
        assert [served(instance) for _ in range(3)] == [instance] * 3
    http = requests.Session()
    client = socketio.Client(http_session=http, reconnection=False)
    answers: list[dict] = []
    confirmed: list[Any] = []
    client.on("bot_uttered", answers.append)
    client.on("session_confirm", confirmed.append)
    client.connect(scaled.url, transports=["polling"], socketio_path="socket.io", wait_timeout=10)
    try:
        assert http.cookies.get("AVATAR_RASA") in {"rasa1", "rasa2"}, http.cookies
        session_id = uuid.uuid4().hex
        client.emit("session_request", {"session_id": session_id})
        for question, expected in (("When is the event?", "May"), ("როდის არის ღონისძიება?", "მაის")):
            answers.clear()
            client.emit("user_uttered", {"message": question, "session_id": session_id})
            deadline = time.monotonic() + 60
            while expected not in " ".join(a.get("text", "") for a in answers):
                assert time.monotonic() < deadline, f"no answer to {question!r}: {answers}"
                time.sleep(0.2)
        assert confirmed and client.connected
    finally:
        # disconnect() waits for the pending long poll, which the server ends only with its
        # next ping (25 s): in the background
        threading.Thread(target=client.disconnect, daemon=True).start()


BURST = [
    "What is open government?",
    "When is the event?",
    "Where is the event held?",
    "Which towns are in AVATAR?",
    "List the 12 principles",
    "რა არის ღია მმართველობა?",
    "როდის არის ღონისძიება?",
    "რომელი ქალაქებია AVATAR-ში?",
]


def test_a_burst_of_messages_of_one_conversation_is_handled_one_at_a_time(scaled):
    """Rasa's Redis lock store serialises the conversation across instances: in the
    tracker store every message is followed by its own answers, then by the wait for the
    next message, with no other message in between."""
    sender = uuid.uuid4().hex
    with ThreadPoolExecutor(len(BURST)) as pool:
        results = list(pool.map(lambda text: scaled.say(sender, text), BURST))
    unavailable = notice("unavailable", "en")
    assert all(answers and unavailable not in text_of(answers) for answers, _ in results), \
        [text_of(a) for a, _ in results]
    assert {served_by for _, served_by in results} == {"rasa1", "rasa2"}

    events = scaled.events(sender)
    users = [i for i, event in enumerate(events) if event["event"] == "user"]
    assert sorted(events[i]["text"] for i in users) == sorted(BURST), "a message was lost or doubled"
    for number, start in enumerate(users):
        end = users[number + 1] if number + 1 < len(users) else len(events)
        turn = events[start + 1:end]
        listens = [i for i, event in enumerate(turn)
                   if event["event"] == "action" and event.get("name") == "action_listen"]
        assert listens == [len(turn) - 1], f"turn {number} ({events[start]['text']!r}) is not whole: {turn}"
        assert any(event["event"] == "bot" for event in turn), f"turn {number} has no answer"


# Many citizens asking at once, for a while: more than the instances answer in the health
# checks' interval, so messages queue up (deploy/haproxy.cfg).
CROWD = 160
CROWD_SECONDS = 12
CROWD_QUESTIONS = ["when is the event", "რა ღირს მონაწილეობა", "sad tardeba konferencia",
                   "what is open data", "ვიზა მჭირდება?"]


def test_a_crowd_of_citizens_waits_in_line_and_no_instance_is_taken_for_dead(scaled):
    """Busy is not dead: with 160 citizens asking again and again for 12 s, each instance works
    through its queue, HAProxy's health checks still get through (at most 8 messages at a time
    on an instance, the rest waiting in HAProxy), no instance is marked down, and every citizen
    gets an answer. With 2-second checks behind Rasa's own queue, a busy instance was marked
    down and every request turned away with 503 until it came back (make bench, 2026-12-06)."""
    downs_before = scaled.log.read_text(errors="replace").count("is DOWN")
    deadline = time.monotonic() + CROWD_SECONDS

    def citizen(number: int) -> list[requests.Response]:
        asked: list[requests.Response] = []
        while time.monotonic() < deadline:
            asked.append(requests.post(f"{scaled.url}/webhooks/rest/webhook", timeout=120, json={
                "sender": f"crowd-{uuid.uuid4().hex}",
                "message": CROWD_QUESTIONS[(number + len(asked)) % len(CROWD_QUESTIONS)]}))
        return asked

    with ThreadPoolExecutor(CROWD) as pool:
        responses = [response for asked in pool.map(citizen, range(CROWD)) for response in asked]
    statuses = [response.status_code for response in responses]
    assert statuses.count(200) == len(responses), f"{statuses.count(200)} of {len(responses)} answered: " \
        f"{sorted(set(statuses))}\n{scaled.tail()}"
    unavailable = [notice("unavailable", language) for language in ("ka", "en")]
    answers = [response.json() for response in responses]
    assert all(answer and not any(notice in answer[0].get("text", "") for notice in unavailable) for answer in answers)
    log = scaled.log.read_text(errors="replace")
    assert log.count("is DOWN") == downs_before, f"an instance was marked down:\n{scaled.tail()}"


def begin_registration(scaled: Scaled, name: str = "Anna Rossi") -> Conversation:
    """An English conversation whose registration form now asks for the e-mail."""
    conversation = Conversation(scaled)
    conversation.say("I want to register for the event")
    asked_email = conversation.say(name)
    assert "email" in text_of(asked_email).lower(), text_of(asked_email)
    return conversation


def finish_registration(conversation: Conversation, email: str, name: str = "Anna Rossi") -> list[dict]:
    summary = conversation.say("/affirm")
    assert name in text_of(summary) and email in text_of(summary), f"an answer was lost: {text_of(summary)}"
    return conversation.say("/affirm")


def assert_one_row(scaled: Scaled, email: str, done: list[dict]) -> None:
    rows = scaled.registrations(email)
    assert len(rows) == 1, rows
    assert rows[0]["status"] == "confirmed" and rows[0]["confirmation_code"] in text_of(done)


def test_redis_restarted_mid_registration(scaled):
    """The lock store's Redis is killed while a citizen registers, and started again by
    scripts/keep-running.sh. A message that arrives while it is down gets the fallback
    ("please try again in a minute", channels/guard.py) and changes nothing; sent again
    once Redis is back, the form goes on where it was."""
    conversation = begin_registration(scaled)
    email = unique_email("redis")
    with scaled.down("redis", scaled.redis_port, signal.SIGKILL):
        during = conversation.say(email)
    assert [answer.get("text") for answer in during] == [notice("unavailable", "en")], during
    asked_affiliation = conversation.say(email)
    assert "/deny" in payloads(asked_affiliation), text_of(asked_affiliation)
    asked_consent = conversation.say("/deny")
    assert {"/affirm", "/deny"} <= set(payloads(asked_consent))
    assert_one_row(scaled, email, finish_registration(conversation, email))


def test_postgresql_restarted_mid_registration(scaled):
    """PostgreSQL (conversations and registrations) stops (fast shutdown) while a citizen
    registers, and keep-running.sh starts it again. Nothing typed before is lost, and the
    registration is stored once."""
    conversation = begin_registration(scaled)
    email = unique_email("postgres")
    asked_affiliation = conversation.say(email)
    assert "/deny" in payloads(asked_affiliation)
    # start-postgres.sh turns TERM into PostgreSQL's fast shutdown
    with scaled.down("postgres", scaled.postgres_port, signal.SIGTERM):
        during = conversation.say("/deny")
    # not a new, empty conversation (a greeting in the default language, the form
    # forgotten): "try again in a minute", in both languages (a button tells none)
    assert "try again in a minute" in text_of(during), text_of(during)
    assert "/affirm" not in payloads(during)
    # sent again once PostgreSQL is back, the answer goes on where the form was
    during = conversation.say("/deny")
    assert {"/affirm", "/deny"} <= set(payloads(during)), text_of(during)
    assert_one_row(scaled, email, finish_registration(conversation, email))


def test_one_rasa_instance_killed_mid_registration(scaled):
    """The instance that answered last is killed (SIGKILL): HAProxy sends the rest of the
    conversation to the other one, which finds the form in PostgreSQL; one row at the end.
    keep-running.sh starts the killed one again, and HAProxy takes it back."""
    conversation = begin_registration(scaled)
    killed = conversation.served[-1]
    os.kill(scaled.pid(killed), signal.SIGKILL)
    email = unique_email("killed")
    asked_affiliation = conversation.say(email)
    assert "/deny" in payloads(asked_affiliation), text_of(asked_affiliation)
    asked_consent = conversation.say("/deny")
    assert {"/affirm", "/deny"} <= set(payloads(asked_consent))
    done = finish_registration(conversation, email)
    assert killed not in conversation.served[2:], conversation.served
    assert_one_row(scaled, email, done)
    deadline = time.monotonic() + START_TIMEOUT
    while killed not in {scaled.served_by(requests.get(f"{scaled.url}/", timeout=5)) for _ in range(2)}:
        assert time.monotonic() < deadline, f"{killed} did not come back:\n{scaled.tail()}"
        time.sleep(1)


def test_the_widget_in_chromium_through_the_proxy(scaled):
    """The web widget's browser tests that talk to a live assistant (web/tests: keyboard,
    a button, a reload that keeps the conversation, the place switcher, a rating), in
    Debian's Chromium, against HAProxy in front of both instances: socket.io through the
    proxy, with its sticky cookie."""
    pytest_bin = PROJECT_DIR / "web" / ".venv" / "bin" / "pytest"
    assert pytest_bin.exists(), "run web/scripts/setup-test.sh first (make test does)"
    result = subprocess.run(
        [str(pytest_bin), "-q", "-p", "no:cacheprovider", "tests", "-k",
         "keyboard_conversation or switches_the_municipality or rated_with_the_keyboard"],
        cwd=PROJECT_DIR / "web", capture_output=True, text=True, timeout=600,
        env={**os.environ, "RASA_URL": scaled.url, "RASA_BUTTON_MESSAGE": "what can you do?",
             "RASA_PLACE_QUESTION": "I want to talk to a person", "RASA_PLACE_FACT": "+39 0445 691111"},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert "3 passed" in result.stdout, result.stdout[-2000:]
