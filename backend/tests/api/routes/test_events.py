from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import new_key, registration_body, service_headers


def events_by_id(client: TestClient) -> dict[str, dict]:
    response = client.get("/api/v1/events")
    assert response.status_code == 200
    return {event["id"]: event for event in response.json()}


def test_public_list_in_content_order_with_every_field(client: TestClient) -> None:
    response = client.get("/api/v1/events")  # no token needed
    assert response.status_code == 200
    events = response.json()
    assert [event["id"] for event in events] == [
        "open-event",
        "unlimited-event",
        "full-event",
        "closed-event",
        "past-deadline-event",
    ]
    assert events[0] == {
        "id": "open-event",
        "title": {"ka": "ღია ღონისძიება", "en": "Open event"},
        "start": "05-24",
        "end": "05-27",
        "year": 2099,
        "venue": {"ka": "თბილისი", "en": "Tbilisi"},
        "registration_open": True,
        "registration_deadline": None,
        "places_left": 3,
    }


def test_registration_open_follows_the_content_and_the_deadline(client: TestClient) -> None:
    events = events_by_id(client)
    assert events["open-event"]["registration_open"] is True
    assert events["full-event"]["registration_open"] is True  # a deadline in 2099
    assert events["closed-event"]["registration_open"] is False  # the content says so
    assert events["past-deadline-event"]["registration_open"] is False  # 2001-01-01 has passed
    assert events["past-deadline-event"]["registration_deadline"] == "2001-01-01"


def test_places_left(client: TestClient) -> None:
    assert events_by_id(client)["unlimited-event"]["places_left"] is None
    assert events_by_id(client)["full-event"]["places_left"] == 0
    for number in range(2):
        body = registration_body(email=f"p{number}@example.org")
        assert (
            client.post(
                "/api/v1/registrations", json=body, headers=service_headers(new_key())
            ).status_code
            == 201
        )
    assert events_by_id(client)["open-event"]["places_left"] == 1
