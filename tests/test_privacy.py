"""No personal data in the logs: whole registrations (Georgian and English) on servers of
their own at the default LOG_LEVEL (INFO), then the logs of the registration service, the
action server and Rasa are searched for every value the citizens gave."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from tests.conftest import Servers

pytestmark = pytest.mark.e2e

RUN = uuid.uuid4().hex[:6]
CITIZENS = [
    {
        "opening": "მინდა დავრეგისტრირდე ღონისძიებაზე",
        "name": "თამარ ჭყონიაშვილიძე",
        "email": f"tamar.chkonia.{RUN}@example.ge",
        "affiliation": "ზესტაფონის ახალგაზრდული საბჭო",
        "municipality": f"zestaponi-{RUN}",
        "phone_message": "ჩემი ტელეფონის ნომერია +995 577 31 42 86",
        "phone": "+995 577 31 42 86",
    },
    {
        "opening": "I want to register for the event",
        "name": "Bartholomew Quixotely",
        "email": f"bart.quixotely.{RUN}@example.org",
        "affiliation": "Fabulonia municipality",
        "municipality": f"chiatura-{RUN}",
        "phone_message": "my phone number is +995 599 86 42 17, call me",
        "phone": "+995 599 86 42 17",
    },
]
PROCESSES = ("backend", "actions", "rasa")


def forbidden_values(citizen: dict) -> list[str]:
    """Everything a log must not show: each value, the words of the name, the email's
    local part, the phone as typed and as bare digits."""
    values = [citizen[key] for key in ("name", "email", "affiliation", "municipality", "phone")]
    values += citizen["name"].split()
    values += [citizen["email"].split("@")[0], re.sub(r"\D", "", citizen["phone"])]
    return values


class Citizen:
    def __init__(self, servers: Servers, details: dict):
        self.servers, self.details, self.sender = servers, details, uuid.uuid4().hex

    def say(self, text: str) -> str:
        response = requests.post(
            f"{self.servers.rasa_url}/webhooks/rest/webhook", timeout=60,
            json={"sender": self.sender, "message": text,
                  # as the web widget sends it (web/public/widget.js)
                  "metadata": {"municipality": self.details["municipality"]}},
        )
        response.raise_for_status()
        return " ".join(answer.get("text", "") for answer in response.json())

    def register(self) -> str:
        d = self.details
        self.say(d["opening"])
        self.say(d["name"])
        self.say(d["email"])
        self.say(d["affiliation"])
        summary = self.say("/affirm")  # consent
        assert d["name"] in summary and d["email"] in summary and d["affiliation"] in summary, summary
        return self.say("/affirm")


@pytest.fixture(scope="module")
def logs(model_path, tmp_path_factory) -> dict[str, str]:
    """Registers each citizen, has them type a phone number, check the registration by
    code and email, and the organisers list it by email; then the three logs."""
    workdir = tmp_path_factory.mktemp("privacy")
    servers = Servers(model_path, workdir, extra_env={"LOG_LEVEL": "INFO"})
    try:
        for name in PROCESSES:
            servers.start(name)
        for details in CITIZENS:
            citizen = Citizen(servers, details)
            citizen.register()
            rows = servers.registrations(email=details["email"])  # GET ...?email=: the access log
            assert len(rows) == 1 and rows[0]["municipality"] == details["municipality"]
            assert rows[0]["organisation"] == details["affiliation"]
            citizen.say(details["phone_message"])
            checking = Citizen(servers, details)
            checking.say("is my registration confirmed?")
            checking.say(rows[0]["confirmation_code"])
            status = checking.say(details["email"])  # the action asks GET .../{code}?email=
            assert rows[0]["confirmation_code"] in status
    finally:
        servers.stop_all()
    return {name: (workdir / f"{name}.log").read_text(encoding="utf-8", errors="replace")
            for name in PROCESSES}


@pytest.mark.parametrize("process", PROCESSES)
def test_the_log_holds_no_personal_data(logs, process):
    log = logs[process].lower()
    assert log.strip(), f"{process}.log is empty"
    for details in CITIZENS:
        for value in forbidden_values(details):
            assert value.lower() not in log, f"{process}.log shows {value!r}"


def test_the_access_log_shows_the_requests_with_the_email_masked(logs):
    # not vacuous: the URLs that carried the emails were logged, masked
    assert "GET /api/v1/registrations?email=[email]" in logs["backend"]
    assert re.search(r"GET /api/v1/registrations/[A-Z0-9]{8}\?email=\[email\]", logs["backend"])
    assert "POST /api/v1/registrations" in logs["backend"]


# --- the safety net: actions/logmask.py ---------------------------------------------------

def test_mask_text_masks_emails_and_phones_but_not_ids_or_addresses():
    from actions.logmask import mask_text

    assert mask_text('"GET /api/v1/registrations?email=bart.q%40example.org&x=1 HTTP/1.1"') == \
        '"GET /api/v1/registrations?email=[email]&x=1 HTTP/1.1"'
    assert mask_text("from <nino.beridze@gmail.com>: call +995 599 12 34 56") == "from <[email]>: call [phone]"
    assert mask_text("ნინო@მაგალითი.გე") == "[email]"
    kept = ('id c96d9b4e-7439-4181-bbab-5dbe8217f599 on 127.0.0.1:5005, rasa 3.6.21, 200 OK, '
            '"confidence": 0.9863339021158051, at 1795473302.0840096')
    assert mask_text(kept) == kept


def test_started_through_logmask_every_record_is_masked(tmp_path):
    """scripts/start-rasa.sh and start-actions.sh run `python -m actions.logmask <module>`:
    records of any logger, their arguments and tracebacks are masked."""
    import subprocess
    import sys

    from tests.conftest import PROJECT_DIR

    (tmp_path / "probe.py").write_text(
        "import logging, sys\n"
        "logging.basicConfig(level=logging.INFO, stream=sys.stdout)\n"
        "logging.getLogger('sanic.access').info('%s - %s', 'GET /x?email=a.b%40example.org', 200)\n"
        "logging.getLogger('rasa.x').warning('user typed %r', 'call me on +995 577 31 42 86')\n"
        "try:\n"
        "    raise ValueError('bad address anna.rossi@example.org')\n"
        "except ValueError:\n"
        "    logging.getLogger('any').exception('failed')\n"
        "print('args', sys.argv[1:])\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "actions.logmask", "probe", "--flag"], cwd=PROJECT_DIR,
                            env={"PYTHONPATH": f"{PROJECT_DIR}:{tmp_path}"}, capture_output=True, text=True,
                            timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "GET /x?email=[email] - 200" in output and "'call me on [phone]'" in output
    assert "ValueError: bad address [email]" in output and "args ['--flag']" in output
    assert "example.org" not in output and "577" not in output
