"""Rate limits per client and the cap on request bodies, against a real uvicorn server."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx2
import pytest

from app.core.config import Settings
from app.core.db import Database
from app.main import create_app
from tests.conftest import (
    SERVICE_TOKEN,
    LiveServer,
    count_registrations,
    new_key,
    registration_body,
    service_headers,
)

REGISTRATIONS = Settings.model_fields["registration_rate_limit"].default  # 5
LOOKUPS = Settings.model_fields["lookup_rate_limit"].default  # 20
WINDOW = Settings.model_fields["rate_limit_window_seconds"].default  # 600
MAX_BODY = Settings.model_fields["max_body_bytes"].default  # 64 KiB


@pytest.fixture
def limited_settings(settings: Settings) -> Settings:
    """The test settings with the default limits (conftest turns them up)."""
    return settings.model_copy(
        update={"registration_rate_limit": REGISTRATIONS, "lookup_rate_limit": LOOKUPS}
    )


@pytest.fixture
def server(limited_settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(create_app(limited_settings)) as live:
        yield live


def post_registration(
    server: LiveServer, body: dict, key: str, client_id: str | None = "conversation-a"
) -> httpx2.Response:
    headers = service_headers(key)
    if client_id is not None:
        headers["X-Client-Id"] = client_id
    return httpx2.post(f"{server.url}/api/v1/registrations", json=body, headers=headers, timeout=30)


def person(number: int) -> dict:
    return registration_body(event_id="unlimited-event", email=f"person{number}@example.org")


def assert_too_many(response: httpx2.Response) -> None:
    assert response.status_code == 429, response.text
    assert response.json()["detail"]["code"] == "too_many_requests"
    assert 1 <= int(response.headers["Retry-After"]) <= WINDOW


def test_registration_attempts_are_limited_per_client(server: LiveServer, db: Database) -> None:
    for number in range(REGISTRATIONS):
        assert post_registration(server, person(number), new_key()).status_code == 201

    assert_too_many(post_registration(server, person(99), new_key()))
    assert count_registrations(db) == REGISTRATIONS
    # Another conversation, and a caller without X-Client-Id (counted by its address),
    # have their own counts.
    assert post_registration(server, person(100), new_key(), "conversation-b").status_code == 201
    assert post_registration(server, person(101), new_key(), None).status_code == 201


def test_replays_do_not_count_and_keep_their_original_answer(
    server: LiveServer, db: Database
) -> None:
    first_key = new_key()
    first = post_registration(server, person(0), first_key)
    for _ in range(3):  # a retry after a lost answer, a double tap ...
        replay = post_registration(server, person(0), first_key)
        assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
        assert replay.json() == first.json()
    for number in range(1, REGISTRATIONS):  # the replays used up nothing
        assert post_registration(server, person(number), new_key()).status_code == 201
    assert_too_many(post_registration(server, person(99), new_key()))

    over_the_limit = post_registration(server, person(0), first_key)
    assert over_the_limit.status_code == 201 and over_the_limit.json() == first.json()
    assert count_registrations(db) == REGISTRATIONS


def test_a_stored_key_is_answered_over_the_limit_after_a_restart(
    limited_settings: Settings, db: Database
) -> None:
    """A fresh process has forgotten its counts, but a key it finds stored is a replay."""
    key = new_key()
    with LiveServer(create_app(limited_settings)) as before_restart:
        first = post_registration(before_restart, person(0), key)
    with LiveServer(create_app(limited_settings)) as server:
        assert post_registration(server, person(0), key).json() == first.json()  # not counted
        for number in range(1, REGISTRATIONS + 1):
            assert post_registration(server, person(number), new_key()).status_code == 201
        assert_too_many(post_registration(server, person(99), new_key()))
        again = post_registration(server, person(0), key)
    assert again.status_code == 201 and again.json() == first.json()
    assert count_registrations(db) == REGISTRATIONS + 1


def test_lookups_and_cancellations_are_limited_per_client(server: LiveServer) -> None:
    created = post_registration(server, person(0), new_key(), "organiser-check").json()
    code = created["confirmation_code"]
    headers = {**service_headers(), "X-Client-Id": "guesser"}
    with httpx2.Client(base_url=server.url, headers=headers, timeout=30) as client:
        for number in range(LOOKUPS):
            guess = f"guess{number}@example.org"
            if number % 2:
                answer = client.get(f"/api/v1/registrations/{code}", params={"email": guess})
            else:
                answer = client.post(f"/api/v1/registrations/{code}/cancel", json={"email": guess})
            assert answer.status_code == 404
        # even the right email now waits: the limit does not tell a hit from a miss
        assert_too_many(
            client.get(f"/api/v1/registrations/{code}", params={"email": "person0@example.org"})
        )
        assert_too_many(
            client.post(f"/api/v1/registrations/{code}/cancel", json={"email": "x@example.org"})
        )
        # registering is counted apart
        registered = client.post(
            "/api/v1/registrations",
            json=person(1),
            headers={"Idempotency-Key": new_key()},
        )
        assert registered.status_code == 201
    own = httpx2.get(
        f"{server.url}/api/v1/registrations/{code}",
        params={"email": "person0@example.org"},
        headers={**service_headers(), "X-Client-Id": "organiser-check"},
    )
    assert own.status_code == 200 and own.json()["status"] == "confirmed"


def test_requests_without_the_token_use_up_nothing(server: LiveServer) -> None:
    """Nobody without the service token can spend a conversation's attempts."""
    for number in range(REGISTRATIONS * 3):
        answer = httpx2.post(
            f"{server.url}/api/v1/registrations",
            json=person(number),
            headers={"Idempotency-Key": new_key(), "X-Client-Id": "conversation-a"},
        )
        assert answer.status_code == 401
    assert post_registration(server, person(0), new_key()).status_code == 201


def test_the_limits_are_documented(server: LiveServer) -> None:
    schema = httpx2.get(f"{server.url}/openapi.json").json()
    registrations = schema["paths"]["/api/v1/registrations"]
    one = schema["paths"]["/api/v1/registrations/{confirmation_code}"]
    cancel = schema["paths"]["/api/v1/registrations/{confirmation_code}/cancel"]
    for operation in (registrations["post"], one["get"], cancel["post"]):
        assert "Retry-After" in operation["responses"]["429"]["headers"]
        assert "X-Client-Id" in {parameter["name"] for parameter in operation["parameters"]}
    assert "429" not in registrations["get"]["responses"]  # the organiser is not limited


# --- request bodies ------------------------------------------------------------------


def parse_answer(answer: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.lower(): value.strip() for name, value in (line.split(":", 1) for line in header_lines)
    }
    return int(status_line.split()[1]), headers, body


def complete(answer: bytes) -> bool:
    if b"\r\n\r\n" not in answer:
        return False
    _, headers, body = parse_answer(answer)
    return len(body) >= int(headers["content-length"])


def raw_request(
    server: LiveServer, head: bytes, body_parts: list[bytes]
) -> tuple[int, dict[str, str], dict, float]:
    """Sends a request by hand; returns status, headers, JSON body, and the time it took.

    The server answers and closes without reading the rest of the body, so what we still
    send (or what it left unread) may come back as a reset once the answer is here."""
    host, port = server.url.removeprefix("http://").split(":")
    started = time.monotonic()
    answer = b""
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        try:
            connection.sendall(head)
            for part in body_parts:
                connection.sendall(part)
        except (BrokenPipeError, ConnectionResetError):
            pass
        while not complete(answer):
            try:
                chunk = connection.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            answer += chunk
    elapsed = time.monotonic() - started
    assert complete(answer), answer
    status, headers, body = parse_answer(answer)
    return status, headers, json.loads(body), elapsed


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/registrations"),
        ("POST", "/api/v1/registrations/ABCDEFGH/cancel"),
        ("GET", "/health"),  # takes no body at all
        ("PUT", "/nowhere"),
    ],
)
def test_a_declared_body_over_the_cap_is_refused_before_it_is_read(
    server: LiveServer, method: str, path: str
) -> None:
    """1 GiB announced, 1 KiB sent: the answer comes at once, without waiting for the rest."""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {SERVICE_TOKEN}\r\n"
        f"Idempotency-Key: {new_key()}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {1024**3}\r\n\r\n"
    ).encode()
    status, headers, body, elapsed = raw_request(server, head, [b"{" + b" " * 1023])

    assert status == 413
    assert body["detail"]["code"] == "payload_too_large"
    assert headers["connection"] == "close"
    assert elapsed < 5


def test_a_chunked_body_is_refused_once_it_passes_the_cap(server: LiveServer, db: Database) -> None:
    """No Content-Length to go by: the body is counted as it arrives."""
    head = (
        f"POST /api/v1/registrations HTTP/1.1\r\nHost: test\r\n"
        f"Authorization: Bearer {SERVICE_TOKEN}\r\nIdempotency-Key: {new_key()}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = b" " * 4096
    parts = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * (MAX_BODY // len(chunk) + 1)
    status, _, body, _ = raw_request(server, head, [*parts, b"0\r\n\r\n"])

    assert status == 413 and body["detail"]["code"] == "payload_too_large"
    assert count_registrations(db) == 0


def test_a_body_under_the_cap_is_read_as_usual(server: LiveServer) -> None:
    padded = {**person(0), "organisation": "x" * (MAX_BODY - 2048)}
    answer = post_registration(server, padded, new_key())
    assert answer.status_code == 422  # read and checked: the organisation is too long
    assert answer.json()["detail"][0]["loc"] == ["body", "organisation"]
