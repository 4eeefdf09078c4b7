"""Shared fixtures: one trained model for the whole run, and the real servers."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable

import pytest
import requests

PROJECT_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up in {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The model for the current data (trained once, reused by `make run` too), or the
    one RASA_MODEL names."""
    if os.environ.get("RASA_MODEL"):
        return Path(os.environ["RASA_MODEL"]).resolve()
    python = str(VENV_BIN / "python")
    subprocess.run([python, "-m", "scripts.model", "train"], cwd=PROJECT_DIR, check=True)
    path = subprocess.run([python, "-m", "scripts.model", "path"], cwd=PROJECT_DIR, check=True,
                          capture_output=True, text=True).stdout.strip()
    return PROJECT_DIR / path


class Servers:
    """The registration service, the action server and Rasa, started as `make run`
    starts them, on free ports, with databases in a folder of their own."""

    def __init__(self, model: Path | None, workdir: Path, extra_env: dict[str, str] | None = None,
                 project_dir: Path = PROJECT_DIR):
        self.workdir = workdir
        # the project whose scripts, actions and model are started (a copy, in some tests)
        self.project_dir = project_dir
        self.rasa_port, self.action_port, self.backend_port = free_port(), free_port(), free_port()
        self.rasa_url = f"http://127.0.0.1:{self.rasa_port}"
        self.backend_url = f"http://127.0.0.1:{self.backend_port}"
        self.env = {
            **os.environ,
            "RASA_PORT": str(self.rasa_port),
            "RASA_HOST": "127.0.0.1",
            "ACTION_HOST": "127.0.0.1",
            "ACTION_PORT": str(self.action_port),
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{self.action_port}/webhook",
            "TRACKER_STORE_URL": f"sqlite:///{workdir / 'tracker.db'}",
            # the widget tests serve their page on a free port
            "RASA_CORS_ORIGINS": "*",
            "RASA_ENABLE_API": "false",
            "REGISTRATION_SERVICE_URL": self.backend_url,
            "DATABASE_URL": f"sqlite:///{workdir / 'registrations.db'}",
            "ENVIRONMENT": "development",
            # e.g. the Telegram tests' TELEGRAM_* settings
            **(extra_env or {}),
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str) -> None:
        log = self.workdir / f"{name}.log"
        script, url, env = {
            "actions": ("scripts/start-actions.sh", f"http://127.0.0.1:{self.action_port}/health", {}),
            "rasa": ("scripts/start-rasa.sh", f"{self.rasa_url}/webhooks/rest/", {}),
            "backend": ("backend/scripts/serve.sh", f"{self.backend_url}/health",
                        {"HOST": "127.0.0.1", "PORT": str(self.backend_port)}),
        }[name]
        self.processes[name] = subprocess.Popen(
            ["scripts/with-env.sh", script], cwd=self.project_dir, env={**self.env, **env},
            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_until_up(url, self.processes[name], log)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process and process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def registrations(self, **filters: str) -> list[dict]:
        """The stored registrations, read through the organisers' admin API."""
        response = requests.get(
            f"{self.backend_url}/api/v1/registrations", params=filters, timeout=10,
            headers={"Authorization": "Bearer dev-admin-token-change-me"},
        )
        response.raise_for_status()
        return response.json()["items"]

    def ask(self, text: str, sender: str | None = None, metadata: dict | None = None) -> list[dict]:
        body: dict = {"sender": sender or uuid.uuid4().hex, "message": text}
        if metadata is not None:
            body["metadata"] = metadata  # as the widget sends it: {"municipality": ..., "country": ...}
        response = requests.post(f"{self.rasa_url}/webhooks/rest/webhook", json=body, timeout=60)
        response.raise_for_status()
        return response.json()


class ScaledServers:
    """`make run-scaled` (scripts/run-scaled.sh) with ``rasa_instances`` Rasa instances and
    ``action_instances`` action servers behind HAProxy, the Redis lock store and PostgreSQL,
    started as `make run-scaled` starts it, on free ports of 127.0.0.1. Its PostgreSQL
    cluster, Redis data, generated files and process ids (run/NAME.pid) go to ``folder``
    (SCALED_DIR), which the `postgres` user must be able to reach when the tests run as root
    (so not pytest's own temporary folder). Used by tests/test_scaled.py and by the bench's
    one-instance-against-two section (bench/scripts/run.py)."""

    START_TIMEOUT = 300  # seconds; two Rasa instances load their model side by side on 2 cores

    def __init__(self, model: Path, folder: Path, rasa_instances: int = 2, action_instances: int = 2,
                 postgres_password: str = "scaled-test-password", log: Path | None = None,
                 extra_env: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.log = log or folder / "run-scaled.log"
        self.postgres_password = postgres_password
        self.rasa_port, self.action_port = free_port(), free_port()
        self.rasa_ports = [free_port() for _ in range(rasa_instances)]
        self.action_ports = [free_port() for _ in range(action_instances)]
        self.redis_port, self.postgres_port = free_port(), free_port()
        self.backend_port, self.web_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.backend_url = f"http://127.0.0.1:{self.backend_port}"
        # HAProxy's names of the instances (its X-Served-By header), also the Procfile's
        self.instances = [f"rasa{i + 1}" for i in range(rasa_instances)]
        self.env = {
            **os.environ,
            "RASA_MODEL": str(model),
            "SCALED_DIR": str(folder),
            "RASA_HOST": "127.0.0.1",
            "RASA_PORT": str(self.rasa_port),
            "RASA_INSTANCES": str(rasa_instances),
            "RASA_INSTANCE_PORTS": " ".join(map(str, self.rasa_ports)),
            "ACTION_HOST": "127.0.0.1",
            "ACTION_PORT": str(self.action_port),
            "ACTION_INSTANCES": str(action_instances),
            "ACTION_INSTANCE_PORTS": " ".join(map(str, self.action_ports)),
            "REDIS_PORT": str(self.redis_port),
            "POSTGRES_PORT": str(self.postgres_port),
            "POSTGRES_PASSWORD": postgres_password,
            "REGISTRATION_SERVICE_HOST": "127.0.0.1",
            "REGISTRATION_SERVICE_PORT": str(self.backend_port),
            "REGISTRATION_WORKERS": "2",
            "WEB_PORT": str(self.web_port),
            "WEB_QUIET": "1",
            "RASA_CORS_ORIGINS": "*",
            "RASA_ENABLE_API": "false",
            "ENVIRONMENT": "development",
            "TELEGRAM_TOKEN": "",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Starts run-scaled.sh and waits until every Rasa instance answers and HAProxy's
        health checks send requests to each; returns the seconds that took."""
        started = time.monotonic()
        self.process = subprocess.Popen(
            ["scripts/with-env.sh", "scripts/run-scaled.sh"], cwd=PROJECT_DIR, env=self.env,
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = started + self.START_TIMEOUT
        for port in self.rasa_ports:
            self._wait(lambda port=port: requests.get(f"http://127.0.0.1:{port}/", timeout=2).ok, deadline)
        self._wait(lambda: requests.get(f"{self.backend_url}/health", timeout=2).ok, deadline)
        # HAProxy's health checks see every instance up (2 checks, 2 s apart)
        self._wait(lambda: {self.served_by(requests.get(f"{self.url}/", timeout=5))
                            for _ in range(2 * len(self.instances))} == set(self.instances), deadline)
        return time.monotonic() - started

    def _wait(self, ready: Callable[[], bool], deadline: float) -> None:
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"run-scaled.sh exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if ready():
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"the scaled topology did not come up in {self.START_TIMEOUT} s:\n{self.tail()}")

    def tail(self, chars: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def pid(self, name: str) -> int:
        """The process id of one of the Procfile's processes (scripts/keep-running.sh), e.g.
        rasa1, postgres; NAME.keeper: the keep-running.sh loop that restarts it."""
        return int((self.folder / "run" / f"{name}.pid").read_text())

    def stop(self) -> None:
        """Ctrl-C's way: honcho sends TERM to every process and waits for them."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # whatever outlived honcho (it should be nothing)
        for pid_file in (self.folder / "run").glob("*.pid"):
            try:
                os.kill(int(pid_file.read_text()), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass

    @staticmethod
    def served_by(response: requests.Response) -> str:
        return response.headers.get("X-Served-By", "")


@pytest.fixture(scope="session")
def backend(tmp_path_factory):
    """The registration service alone, with a database of its own."""
    running = Servers(None, tmp_path_factory.mktemp("backend"))
    try:
        running.start("backend")
        yield running
    finally:
        running.stop_all()


FIXED_TIME = "2027-05-28T15:00:00+02:00"
STATS_TOKEN = "test-stats-token-0123456789"


class Mailbox:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives: where the
    action server sends "leave a message" (MESSAGES_TO, SMTP_PORT). ``stop`` and ``start``
    take it away and bring it back on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list = []  # email.message.EmailMessage, in order
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        import email
        import email.policy

        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.received.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


MESSAGES_TO = "citizens-desk@example.org"


@pytest.fixture(scope="session")
def mailbox():
    box = Mailbox()
    box.start()
    try:
        yield box
    finally:
        box.stop()


@pytest.fixture(scope="session")
def servers(model_path, tmp_path_factory, mailbox):
    workdir = tmp_path_factory.mktemp("servers")
    # the event file is a copy, so that a test can close registration (the action server
    # re-reads it when it changes) without touching the project's content
    events = workdir / "events.yml"
    shutil.copyfile(PROJECT_DIR / "content" / "events.yml", events)
    # a fixed clock for "open now": Friday 28 May 2027, 15:00 in Italy (FIXED_TIME)
    # "leave a message" goes to the test's own SMTP server
    running = Servers(model_path, workdir, extra_env={
        "EVENTS_FILE": str(events), "FIXED_TIME": FIXED_TIME, "STATS_TOKEN": STATS_TOKEN,
        "MESSAGES_TO": MESSAGES_TO, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mailbox.port), "SMTP_TIMEOUT": "3"})
    running.events_file = events
    try:
        running.start("backend")
        running.start("actions")
        running.start("rasa")
        yield running
    finally:
        running.stop_all()
