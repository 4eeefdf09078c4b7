"""Load for the benchmark: questions and whole registration conversations over Rasa's REST
channel. Run by bench/scripts/run.py from bench/.venv, headless, against 127.0.0.1 only:

    locust -f bench/locustfile.py --headless -H http://127.0.0.1:PORT -u 8 -r 8 \
        --run-time 40s --questions-file Q.json --samples-out S.json [--max-messages N] \
        QuestionUser | ConversationUser

and by bench/scripts/loadtest.py with both kinds of user at once, --conversations-out C.json
(every registration conversation: its e-mail and the confirmation code it was given) and
--fail-empty (an empty answer counts as a failed message).

Every user sends its next message as soon as the previous answer arrives (no think time), so
N users are N messages in flight at most. Each run stops by itself: at --run-time, or once
--max-messages answers have come back. Every answer's latency is written to --samples-out
(exact figures, not Locust's rounded percentiles), with the error of each failed one.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from urllib.parse import urlparse

import gevent
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

SAMPLES: list = []
STATE = {"reserved": 0, "answered": 0, "conversations": 0, "finished": 0, "unanswered": 0}
QUESTIONS: list = []
CONVERSATIONS: list = []

# The confirmation code in utter_registration_confirmed / _waitlisted, in either language
# ("code: K7MP2QXA", "კოდი: K7MP2QXA"); the alphabet of actions/validation.py's clean_code.
CODE = re.compile(r"(?:code|კოდი): ([ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8})\b")

# Openings in the three ways of writing, as tests/test_registration_conversation.py uses them.
OPENINGS = [
    ("ka", "მინდა დავრეგისტრირდე ღონისძიებაზე", "ნინო ბერიძე"),
    ("ka-Latn", "minda davregistrirde gonisdziebaze", "Giorgi Kapanadze"),
    ("en", "I want to register for the event", "Anna Rossi"),
]


@events.init_command_line_parser.add_listener
def _arguments(parser):
    parser.add_argument("--questions-file", default="", help="JSON list of {text, writing}")
    parser.add_argument("--samples-out", default="", help="where to write every latency")
    parser.add_argument("--max-messages", type=int, default=0, help="stop after this many answers (0: no limit)")
    parser.add_argument("--session-length", type=int, default=5, help="questions per conversation id")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--conversations-out", default="", help="where to write every registration conversation")
    parser.add_argument("--email-prefix", default="bench", help="registration e-mails: PREFIX.<random>@example.org")
    parser.add_argument("--fail-empty", action="store_true", help="count an empty answer as a failed message")


@events.init.add_listener
def _init(environment, **_):
    host = urlparse(environment.host or "")
    if host.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to load {environment.host}: the benchmark targets 127.0.0.1 only")
    options = environment.parsed_options
    if options.questions_file:
        with open(options.questions_file, encoding="utf-8") as file:
            QUESTIONS.extend(json.load(file))


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, context, start_time=None, **_):
    STATE["answered"] += 1
    SAMPLES.append({
        "name": name, "ms": round(response_time, 3), "start": start_time, "ok": exception is None,
        "writing": (context or {}).get("writing"), "step": (context or {}).get("step"),
        **({} if exception is None else {"error": str(exception)[:300]}),
    })


@events.test_start.add_listener
def _watch_budget(environment, **_):
    """Ends the run once --max-messages answers are back (each user stops sending first)."""
    budget = environment.parsed_options.max_messages
    if not budget:
        return

    def watch():
        while not (STATE["reserved"] >= budget and STATE["answered"] >= budget):
            gevent.sleep(0.05)
        environment.runner.quit()

    gevent.spawn(watch)


@events.quitting.add_listener
def _write(environment, **_):
    path = environment.parsed_options.samples_out
    if path:
        with open(path, "w", encoding="utf-8") as file:
            json.dump({"samples": SAMPLES, **STATE}, file)
    path = environment.parsed_options.conversations_out
    if path:
        with open(path, "w", encoding="utf-8") as file:
            json.dump(CONVERSATIONS, file, ensure_ascii=False)


class RestUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    # Rasa answers slowly under load; a message that takes longer counts as failed.
    network_timeout = 60.0
    connection_timeout = 10.0

    def say(self, sender: str, text: str, **context) -> list | None:
        """The answers, or None when the message failed (HTTP error, timeout, not JSON)."""
        budget = self.environment.parsed_options.max_messages
        if budget:
            if STATE["reserved"] >= budget:
                raise StopUser()
            STATE["reserved"] += 1
        with self.client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text},
                              name=context.get("name", "message"), context=context,
                              catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None
            try:
                answers = response.json()
            except ValueError:
                response.failure("not JSON")
                return None
            if not isinstance(answers, list):
                response.failure("not a list of answers")
                return None
            if not answers:
                STATE["unanswered"] += 1
                if self.environment.parsed_options.fail_empty:
                    response.failure("no answer")
                    return None
            response.success()
            return answers


class QuestionUser(RestUser):
    """Asks questions from tests/evaluation in a random order, --session-length per
    conversation id, then starts a new conversation."""

    def on_start(self):
        options = self.environment.parsed_options
        self.random = random.Random(options.seed * 1000 + id(self) % 1000)
        self.sender = uuid.uuid4().hex
        self.asked = 0

    @task
    def ask(self):
        if not QUESTIONS:
            raise StopUser()
        if self.asked >= self.environment.parsed_options.session_length:
            self.sender, self.asked = uuid.uuid4().hex, 0
        question = self.random.choice(QUESTIONS)
        self.asked += 1
        self.say(self.sender, question["text"], name=f"question {question['writing']}",
                 writing=question["writing"])


class ConversationUser(RestUser):
    """Registers for the event, the whole form, as a citizen would: opening, name, email,
    Skip for the organisation, consent, confirmation. Each conversation has its own id and
    e-mail address, so every one ends with a new row in the registration service. Each is
    written down (--conversations-out) with the code its last answer gave, if any: the load
    test matches them with the service's rows."""

    @task
    def register(self):
        writing, opening, name = random.choice(OPENINGS)
        sender = uuid.uuid4().hex
        email = f"{self.environment.parsed_options.email_prefix}.{uuid.uuid4().hex[:12]}@example.org"
        STATE["conversations"] += 1
        record = {"sender": sender, "email": email, "writing": writing, "failed_step": None, "code": None}
        CONVERSATIONS.append(record)
        steps = [("opening", opening), ("name", name), ("email", email), ("affiliation", "/deny"),
                 ("consent", "/affirm"), ("confirm", "/affirm")]
        for step, text in steps:
            answers = self.say(sender, text, name=f"conversation {step}", writing=writing, step=step)
            if answers is None:
                record["failed_step"] = step
                break
            if step == "confirm":
                found = CODE.findall(" ".join(str(a.get("text", "")) for a in answers))
                record["code"] = found[0] if found else None
                record["codes_in_answer"] = len(found)
        else:
            # whether it registered is counted in the service's database afterwards
            STATE["finished"] += 1
