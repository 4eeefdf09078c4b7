"""Many requests at once against a real uvicorn server: the database keeps it to one row."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx2

from app.core.db import Database
from tests.conftest import (
    LiveServer,
    count_registrations,
    new_key,
    registration_body,
    service_headers,
)

THREADS = 10


def post_at_once(
    server: LiveServer, make_request: Callable[[int], tuple[dict, str]]
) -> list[httpx2.Response]:
    """Sends THREADS registrations released together by a barrier, one client each."""
    barrier = threading.Barrier(THREADS)

    def send(number: int) -> httpx2.Response:
        body, key = make_request(number)
        with httpx2.Client(base_url=server.url, timeout=30) as client:
            barrier.wait()
            return client.post("/api/v1/registrations", json=body, headers=service_headers(key))

    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(send, range(THREADS)))


def test_same_key_at_once_makes_one_row(live_server: LiveServer, db: Database) -> None:
    body, key = registration_body(), new_key()
    responses = post_at_once(live_server, lambda _: (body, key))

    assert [r.status_code for r in responses] == [201] * THREADS, [r.text for r in responses]
    assert len({r.json()["confirmation_code"] for r in responses}) == 1
    assert count_registrations(db) == 1


def test_same_key_with_different_bodies_at_once_makes_one_row(
    live_server: LiveServer, db: Database
) -> None:
    # Different events and emails: nothing serialises these but the unique key.
    key = new_key()
    events = ["open-event", "unlimited-event"]
    responses = post_at_once(
        live_server,
        lambda n: (registration_body(event_id=events[n % 2], email=f"p{n}@example.org"), key),
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: THREADS - 1}, [r.text for r in responses]
    assert {r.json()["detail"]["code"] for r in responses if r.status_code == 409} == {
        "idempotency_key_reused"
    }
    assert count_registrations(db) == 1


def test_same_email_with_different_keys_at_once_makes_one_row(
    live_server: LiveServer, db: Database
) -> None:
    body = registration_body()
    responses = post_at_once(live_server, lambda _: (body, new_key()))

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: THREADS - 1}, [r.text for r in responses]
    assert {r.json()["detail"]["code"] for r in responses if r.status_code == 409} == {
        "already_registered"
    }
    assert count_registrations(db) == 1


def test_capacity_is_never_oversold(live_server: LiveServer, db: Database) -> None:
    responses = post_at_once(
        live_server, lambda n: (registration_body(email=f"person{n}@example.org"), new_key())
    )

    assert [r.status_code for r in responses] == [201] * THREADS, [r.text for r in responses]
    assert Counter(r.json()["status"] for r in responses) == {
        "confirmed": 3,
        "waitlisted": THREADS - 3,
    }
    assert count_registrations(db, event_id="open-event", status="confirmed") == 3
    assert count_registrations(db, event_id="open-event", status="waitlisted") == THREADS - 3
