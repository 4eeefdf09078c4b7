"""Who can reach what: Rasa's HTTP API off by default and token-protected when on, every
server on 127.0.0.1 unless configured otherwise, browsers limited to the configured sites."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from tests.conftest import PROJECT_DIR, Servers

pytestmark = pytest.mark.e2e

TOKEN = "a-long-random-token-for-this-test"
SITE = "https://town.example.ge"


def defaults() -> dict[str, str]:
    """The settings `make run` starts with when nothing is set (.env.example)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("RASA_", "ACTION_", "REGISTRATION_"))}
    out = subprocess.run(["scripts/with-env.sh", "env"], cwd=PROJECT_DIR, env=clean, check=True,
                         capture_output=True, text=True).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (from /proc/net/tcp{,6})."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            # /proc prints each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(socket.inet_ntop(family, raw))
    return found


def test_defaults_keep_every_server_on_the_loopback_and_the_api_off():
    settings = defaults()
    assert settings["RASA_HOST"] == settings["ACTION_HOST"] == settings["REGISTRATION_SERVICE_HOST"] == "127.0.0.1"
    assert settings["RASA_ENABLE_API"] == "false"
    assert "*" not in settings["RASA_CORS_ORIGINS"].split()
    procfile = (PROJECT_DIR / "Procfile").read_text()
    assert 'HOST="${REGISTRATION_SERVICE_HOST:-127.0.0.1}"' in procfile


def test_the_running_servers_listen_on_the_loopback_only(servers):
    for port in (servers.rasa_port, servers.action_port, servers.backend_port):
        addresses = listening_addresses(port)
        assert addresses and addresses <= {"127.0.0.1", "::1", "::ffff:127.0.0.1"}, (port, addresses)


@pytest.mark.parametrize("method, path", [
    ("GET", "/status"), ("GET", "/version"), ("PUT", "/model"), ("POST", "/model/parse"),
    ("GET", "/conversations/someone/tracker"), ("POST", "/conversations/someone/messages"),
])
def test_with_the_api_off_its_endpoints_do_not_exist(servers, method, path):
    response = requests.request(method, f"{servers.rasa_url}{path}", json={}, timeout=10)
    assert response.status_code in (404, 405), (path, response.status_code)


def test_turning_the_api_on_without_a_token_refuses_to_start(tmp_path):
    env = {**os.environ, "RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": "",
           "RASA_MODEL": str(tmp_path / "not-needed.tar.gz")}
    (tmp_path / "not-needed.tar.gz").write_bytes(b"")
    done = subprocess.run(["scripts/with-env.sh", "scripts/start-rasa.sh"], cwd=PROJECT_DIR, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "RASA_AUTH_TOKEN" in done.stderr


@pytest.fixture(scope="module")
def api_on(model_path, tmp_path_factory):
    """Rasa alone, with the API on and a token, and one allowed site."""
    running = Servers(model_path, tmp_path_factory.mktemp("api-on"), extra_env={
        "RASA_ENABLE_API": "true", "RASA_AUTH_TOKEN": TOKEN, "RASA_CORS_ORIGINS": SITE})
    try:
        running.start("rasa")
        yield running
    finally:
        running.stop_all()


def test_with_the_api_on_the_token_is_required(api_on):
    url = f"{api_on.rasa_url}/status"
    assert requests.get(url, timeout=10).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=10).status_code == 401
    assert requests.get(url, params={"token": TOKEN}, timeout=10).status_code == 200
    # loading a model from elsewhere (CVE-2024-49375) is behind the same token
    assert requests.put(f"{api_on.rasa_url}/model", json={"model_file": "/tmp/x.tar.gz"},
                        timeout=10).status_code == 401


def test_browsers_may_call_only_from_the_configured_site(api_on):
    url = f"{api_on.rasa_url}/webhooks/rest/webhook"
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = requests.options(url, headers={"Origin": SITE, **preflight}, timeout=10)
    assert allowed.headers.get("Access-Control-Allow-Origin") == SITE
    other = requests.options(url, headers={"Origin": "https://elsewhere.example", **preflight}, timeout=10)
    assert "Access-Control-Allow-Origin" not in other.headers
    # socket.io: the handshake from another site is refused
    polling = f"{api_on.rasa_url}/socket.io/?EIO=4&transport=polling"
    assert requests.get(polling, headers={"Origin": SITE}, timeout=10).status_code == 200
    assert requests.get(polling, headers={"Origin": "https://elsewhere.example"}, timeout=10).status_code >= 400
