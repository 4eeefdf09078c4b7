"""The registration contract, each point checked on the HTTP answer and on the stored row."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.db import Database
from app.models import Registration
from avatar_shared.codes import CODE_ALPHABET
from tests.conftest import (
    admin_headers,
    count_registrations,
    new_key,
    registration_body,
    service_headers,
    stored,
)

URL = "/api/v1/registrations"


def register(client: TestClient, key: str | None = None, **overrides):
    return client.post(
        URL, json=registration_body(**overrides), headers=service_headers(key or new_key())
    )


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"detail"}
    assert body["detail"]["code"] == code
    assert isinstance(body["detail"]["message"], str) and body["detail"]["message"]


# --- create --------------------------------------------------------------------------


def test_create_answers_201_and_stores_the_row(client: TestClient, db: Database) -> None:
    response = register(client, key="key-1")

    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {
        "id",
        "confirmation_code",
        "status",
        "event_id",
        "full_name",
        "email",
        "language",
        "created_at",
    }
    assert body["status"] == "confirmed"
    assert body["event_id"] == "open-event"
    assert body["full_name"] == "ნინო ბერიძე"
    assert body["email"] == "nino@example.org"
    assert body["language"] == "ka"
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{8}}", body["confirmation_code"])
    assert body["created_at"].endswith("Z") or "+00:00" in body["created_at"]

    row = stored(db, body["confirmation_code"])
    assert row is not None
    assert str(row.id) == body["id"]
    assert row.idempotency_key == "key-1"
    assert row.request_hash and len(row.request_hash) == 64
    assert (row.full_name, row.email, row.municipality, row.organisation) == (
        "ნინო ბერიძე",
        "nino@example.org",
        "ქუთაისი",
        "Civic Lab",
    )
    assert row.status == "confirmed"
    assert row.consent_given_at is not None
    assert count_registrations(db) == 1


def test_optional_fields_may_be_left_out(client: TestClient, db: Database) -> None:
    response = register(client, municipality=..., organisation=..., language="en")
    assert response.status_code == 201, response.text
    row = stored(db, response.json()["confirmation_code"])
    assert row.municipality is None and row.organisation is None and row.language == "en"


def test_name_is_trimmed_and_email_normalised_before_storing(
    client: TestClient, db: Database
) -> None:
    response = register(
        client, full_name="  Anna   Maria  O'Neil-Smith ", email="  Anna.Maria@Example.ORG "
    )
    assert response.status_code == 201, response.text
    assert response.json()["full_name"] == "Anna Maria O'Neil-Smith"
    assert response.json()["email"] == "anna.maria@example.org"
    row = stored(db, response.json()["confirmation_code"])
    assert row.full_name == "Anna Maria O'Neil-Smith"
    assert row.email == "anna.maria@example.org"


def test_same_key_and_same_body_answers_the_same_without_a_second_row(
    client: TestClient, db: Database
) -> None:
    first = register(client, key="retry-key")
    second = register(client, key="retry-key")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert count_registrations(db) == 1


def test_same_key_counts_the_normalised_body(client: TestClient, db: Database) -> None:
    first = register(client, key="k", email="nino@example.org")
    second = register(client, key="k", email="  NINO@example.org")
    assert second.status_code == 201
    assert second.json()["confirmation_code"] == first.json()["confirmation_code"]
    assert count_registrations(db) == 1


def test_same_key_with_another_body_is_409(client: TestClient, db: Database) -> None:
    first = register(client, key="reused")
    second = register(client, key="reused", email="someone.else@example.org")

    assert first.status_code == 201
    assert_error(second, 409, "idempotency_key_reused")
    assert count_registrations(db) == 1
    assert stored(db, first.json()["confirmation_code"]).email == "nino@example.org"


def test_replay_still_answers_after_registration_closed(client: TestClient, db: Database) -> None:
    # The key is checked before anything else, so a retry is never refused as a new request.
    first = register(client, key="late-retry", event_id="full-event")
    assert first.status_code == 201
    again = register(client, key="late-retry", event_id="full-event")
    assert again.status_code == 201 and again.json() == first.json()


def test_missing_idempotency_key_is_422(client: TestClient, db: Database) -> None:
    response = client.post(URL, json=registration_body(), headers=service_headers())
    assert response.status_code == 422
    assert any(error["loc"] == ["header", "Idempotency-Key"] for error in response.json()["detail"])
    assert count_registrations(db) == 0


def test_an_email_actively_registered_is_409(client: TestClient, db: Database) -> None:
    assert register(client).status_code == 201
    response = register(client, email="NINO@example.org ", full_name="Nino Beridze")

    assert_error(response, 409, "already_registered")
    assert count_registrations(db) == 1


def test_the_same_email_may_register_for_another_event(client: TestClient, db: Database) -> None:
    assert register(client).status_code == 201
    assert register(client, event_id="unlimited-event").status_code == 201
    assert count_registrations(db) == 2


def test_a_waitlisted_email_is_also_active(client: TestClient, db: Database) -> None:
    assert register(client, event_id="full-event").json()["status"] == "waitlisted"
    assert_error(register(client, event_id="full-event"), 409, "already_registered")


def test_after_cancelling_the_email_may_register_again(client: TestClient, db: Database) -> None:
    code = register(client).json()["confirmation_code"]
    client.post(
        f"{URL}/{code}/cancel", json={"email": "nino@example.org"}, headers=service_headers()
    )

    again = register(client)
    assert again.status_code == 201
    assert again.json()["confirmation_code"] != code
    assert count_registrations(db, email="nino@example.org") == 2
    assert count_registrations(db, email="nino@example.org", status="confirmed") == 1


def test_unknown_event_is_404(client: TestClient, db: Database) -> None:
    assert_error(register(client, event_id="no-such-event"), 404, "event_not_found")
    assert count_registrations(db) == 0


@pytest.mark.parametrize("event_id", ["closed-event", "past-deadline-event"])
def test_closed_registration_is_409(client: TestClient, db: Database, event_id: str) -> None:
    assert_error(register(client, event_id=event_id), 409, "registration_closed")
    assert count_registrations(db) == 0


def test_over_capacity_is_waitlisted(client: TestClient, db: Database) -> None:
    statuses = [
        register(client, email=f"person{number}@example.org").json()["status"]
        for number in range(5)
    ]
    assert statuses == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert count_registrations(db, event_id="open-event", status="confirmed") == 3
    assert count_registrations(db, event_id="open-event", status="waitlisted") == 2
    places = {event["id"]: event["places_left"] for event in client.get("/api/v1/events").json()}
    assert places["open-event"] == 0


def test_no_capacity_means_no_limit(client: TestClient, db: Database) -> None:
    for number in range(5):
        response = register(client, event_id="unlimited-event", email=f"p{number}@example.org")
        assert response.json()["status"] == "confirmed"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("consent", False),
        ("consent", "yes"),
        ("full_name", "A"),
        ("full_name", "   A   "),
        ("full_name", "x" * 101),
        ("full_name", "Robert'); DROP TABLE registrations;--"),
        ("full_name", "Nino 2"),
        ("full_name", "Нина Иванова"),  # Cyrillic is neither Georgian nor Latin
        ("full_name", "-Nino"),
        ("full_name", "Nino\tBeridze\x00"),
        ("email", "not-an-email"),
        ("email", "nino@"),
        ("email", "nino@@example.org"),
        ("email", "nino@localhost"),
        ("email", ""),
        ("language", "de"),
        ("language", "KA"),
        ("event_id", ""),
        ("municipality", "Tbilisi\x00"),
        ("organisation", "x" * 201),
    ],
)
def test_invalid_fields_are_422_with_a_reason_per_field(
    client: TestClient, db: Database, field: str, value: object
) -> None:
    response = register(client, **{field: value})

    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert [error["loc"] for error in errors] == [["body", field]]
    assert errors[0]["msg"]
    assert count_registrations(db) == 0


def test_every_invalid_field_gets_its_own_reason(client: TestClient) -> None:
    response = client.post(
        URL,
        json={
            "event_id": "open-event",
            "full_name": "1",
            "email": "x",
            "language": "fr",
            "consent": False,
        },
        headers=service_headers(new_key()),
    )
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert fields == {"full_name", "email", "language", "consent"}


def test_missing_required_fields_are_422(client: TestClient) -> None:
    response = client.post(URL, json={}, headers=service_headers(new_key()))
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["detail"]}
    assert fields == {"event_id", "full_name", "email", "language", "consent"}


def test_unknown_fields_are_422(client: TestClient) -> None:
    response = register(client, phone="+995 555 00 00 00")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "phone"]


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("გიორგი მაისურაძე", "გიორგი მაისურაძე"),
        ("ᲒᲘᲝᲠᲒᲘ ᲛᲐᲘᲡᲣᲠᲐᲫᲔ", "გიორგი მაისურაძე"),  # Mtavruli capitals become Mkhedruli
        ("Niccolò Dell'Acqua", "Niccolò Dell'Acqua"),
        ("J. R. R. Tolkien", "J. R. R. Tolkien"),
        ("Jean-Luc Picard", "Jean-Luc Picard"),
        ("D’Angelo", "D’Angelo"),
        ("Zoë Ö", "Zoë Ö"),
    ],
)
def test_georgian_and_latin_names_are_accepted(
    client: TestClient, db: Database, given: str, kept: str
) -> None:
    response = register(client, full_name=given)
    assert response.status_code == 201, response.text
    assert stored(db, response.json()["confirmation_code"]).full_name == kept


# --- authentication ------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": "Basic dGVzdDp0ZXN0"},
        # the admin token is not the service token
        {"Authorization": f"Bearer {admin_headers()['Authorization'].split()[1]}"},
    ],
)
def test_create_without_the_service_token_is_401(
    client: TestClient, db: Database, headers: dict
) -> None:
    response = client.post(
        URL, json=registration_body(), headers={**headers, "Idempotency-Key": new_key()}
    )
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert count_registrations(db) == 0


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", URL),
        ("GET", f"{URL}/export.csv"),
        ("DELETE", f"{URL}/ABCDEFGH"),
    ],
)
def test_admin_routes_refuse_the_service_token(client: TestClient, method: str, path: str) -> None:
    assert_error(client.request(method, path, headers=service_headers()), 401, "unauthorized")
    assert_error(client.request(method, path), 401, "unauthorized")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", f"{URL}/ABCDEFGH?email=a@example.org", None),
        ("POST", f"{URL}/ABCDEFGH/cancel", {"email": "a@example.org"}),
    ],
)
def test_service_routes_refuse_other_tokens(
    client: TestClient, method: str, path: str, body
) -> None:
    assert_error(
        client.request(method, path, json=body, headers=admin_headers()), 401, "unauthorized"
    )
    assert_error(client.request(method, path, json=body), 401, "unauthorized")


# --- look up -------------------------------------------------------------------------


def test_look_up_with_the_right_email(client: TestClient) -> None:
    created = register(client).json()
    code = created["confirmation_code"]

    response = client.get(
        f"{URL}/{code}", params={"email": " Nino@Example.org"}, headers=service_headers()
    )
    assert response.status_code == 200
    assert response.json() == created
    # codes are case-insensitive
    lower = client.get(
        f"{URL}/{code.lower()}", params={"email": "nino@example.org"}, headers=service_headers()
    )
    assert lower.json() == created


@pytest.mark.parametrize("email", ["someone@example.org", "not an email", ""])
def test_look_up_with_a_wrong_email_is_404_like_an_unknown_code(
    client: TestClient, email: str
) -> None:
    code = register(client).json()["confirmation_code"]
    wrong_email = client.get(f"{URL}/{code}", params={"email": email}, headers=service_headers())
    unknown_code = client.get(
        f"{URL}/ZZZZZZZZ", params={"email": "nino@example.org"}, headers=service_headers()
    )
    malformed_code = client.get(
        f"{URL}/x%00y", params={"email": "nino@example.org"}, headers=service_headers()
    )

    assert_error(wrong_email, 404, "registration_not_found")
    assert wrong_email.json() == unknown_code.json() == malformed_code.json()


# --- cancel --------------------------------------------------------------------------


def cancel(client: TestClient, code: str, email: str = "nino@example.org"):
    return client.post(f"{URL}/{code}/cancel", json={"email": email}, headers=service_headers())


def test_cancel_sets_cancelled_and_is_idempotent(client: TestClient, db: Database) -> None:
    code = register(client).json()["confirmation_code"]

    first = cancel(client, code, email="NINO@example.org")
    assert first.status_code == 200
    assert first.json()["status"] == "cancelled"
    row = stored(db, code)
    assert row.status == "cancelled" and row.cancelled_at is not None

    second = cancel(client, code)
    assert second.status_code == 200 and second.json() == first.json()
    assert stored(db, code).cancelled_at == row.cancelled_at

    looked_up = client.get(
        f"{URL}/{code}", params={"email": "nino@example.org"}, headers=service_headers()
    )
    assert looked_up.json()["status"] == "cancelled"


def test_cancel_with_a_wrong_email_is_404_and_changes_nothing(
    client: TestClient, db: Database
) -> None:
    code = register(client).json()["confirmation_code"]
    assert_error(cancel(client, code, email="other@example.org"), 404, "registration_not_found")
    assert_error(cancel(client, "ZZZZZZZZ"), 404, "registration_not_found")
    assert stored(db, code).status == "confirmed"


def test_cancel_with_an_invalid_email_is_422(client: TestClient) -> None:
    code = register(client).json()["confirmation_code"]
    response = cancel(client, code, email="nope")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "email"]


def test_a_cancelled_place_goes_to_the_earliest_waitlisted(
    client: TestClient, db: Database
) -> None:
    codes = [
        register(client, email=f"p{number}@example.org").json()["confirmation_code"]
        for number in range(5)
    ]
    assert [stored(db, code).status for code in codes] == ["confirmed"] * 3 + ["waitlisted"] * 2

    cancel(client, codes[0], email="p0@example.org")

    assert [stored(db, code).status for code in codes] == [
        "cancelled",
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]


def test_cancelling_a_waitlisted_registration_promotes_no_one(
    client: TestClient, db: Database
) -> None:
    codes = [
        register(client, email=f"p{number}@example.org").json()["confirmation_code"]
        for number in range(5)
    ]
    cancel(client, codes[3], email="p3@example.org")
    assert [stored(db, code).status for code in codes] == ["confirmed"] * 3 + [
        "cancelled",
        "waitlisted",
    ]


# --- admin: list, export, erase --------------------------------------------------------


def test_list_with_filters(client: TestClient) -> None:
    register(client, email="a@example.org")
    register(client, email="b@example.org")
    register(client, email="a@example.org", event_id="unlimited-event")
    code = register(client, email="c@example.org").json()["confirmation_code"]
    register(client, email="d@example.org")  # waitlisted (capacity 3)
    cancel(client, code, email="c@example.org")  # d moves up

    everything = client.get(URL, headers=admin_headers())
    assert everything.status_code == 200
    body = everything.json()
    assert body["total"] == 5 and len(body["items"]) == 5
    assert {"municipality", "organisation", "updated_at", "cancelled_at", "erased_at"} <= set(
        body["items"][0]
    )

    by_email = client.get(URL, params={"email": " A@example.org"}, headers=admin_headers()).json()
    assert by_email["total"] == 2 and {item["email"] for item in by_email["items"]} == {
        "a@example.org"
    }

    by_event = client.get(
        URL, params={"event_id": "unlimited-event"}, headers=admin_headers()
    ).json()
    assert by_event["total"] == 1

    by_status = client.get(URL, params={"status": "cancelled"}, headers=admin_headers()).json()
    assert [item["email"] for item in by_status["items"]] == ["c@example.org"]

    combined = client.get(
        URL, params={"event_id": "open-event", "status": "confirmed"}, headers=admin_headers()
    ).json()
    assert sorted(item["email"] for item in combined["items"]) == [
        "a@example.org",
        "b@example.org",
        "d@example.org",
    ]

    page = client.get(URL, params={"limit": 2, "offset": 1}, headers=admin_headers()).json()
    assert page["total"] == 5 and len(page["items"]) == 2
    assert [item["id"] for item in page["items"]] == [item["id"] for item in body["items"][1:3]]


def test_list_rejects_an_unknown_status(client: TestClient) -> None:
    assert client.get(URL, params={"status": "deleted"}, headers=admin_headers()).status_code == 422


def test_a_repeated_filter_is_422_not_its_last_value(client: TestClient) -> None:
    response = client.get(f"{URL}?status=confirmed&status=waitlisted", headers=admin_headers())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "status"]


def test_export_csv(client: TestClient) -> None:
    register(client, full_name="ნინო ბერიძე", organisation='=HYPERLINK("http://x")')
    register(client, email="b@example.org", full_name="Bob", municipality=..., organisation=...)

    response = client.get(f"{URL}/export.csv", headers=admin_headers())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 2
    assert rows[0]["full_name"] == "ნინო ბერიძე"
    assert rows[0]["organisation"].startswith("'=")  # never a formula in a spreadsheet
    assert rows[1]["municipality"] == ""

    only_b = client.get(
        f"{URL}/export.csv", params={"email": "b@example.org"}, headers=admin_headers()
    )
    assert len(list(csv.DictReader(io.StringIO(only_b.content.decode("utf-8-sig"))))) == 1


def test_erase_empties_personal_data_and_keeps_an_anonymous_row(
    client: TestClient, db: Database
) -> None:
    created = register(client, key="erase-me").json()
    code = created["confirmation_code"]

    response = client.delete(f"{URL}/{code}", headers=admin_headers())
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "erased"
    assert body["full_name"] is None and body["email"] is None
    assert body["municipality"] is None and body["organisation"] is None

    row = stored(db, code)
    assert row.status == "erased" and row.erased_at is not None
    assert (row.full_name, row.email, row.municipality, row.organisation, row.request_hash) == (
        None,
    ) * 5
    assert row.idempotency_key != "erase-me"
    assert row.event_id == "open-event" and row.language == "ka"
    assert count_registrations(db, event_id="open-event") == 1

    # again: the same answer
    again = client.delete(f"{URL}/{code}", headers=admin_headers())
    assert again.status_code == 200 and again.json()["erased_at"] == body["erased_at"]
    # the person can no longer be found through the service routes
    lookup = client.get(
        f"{URL}/{code}", params={"email": "nino@example.org"}, headers=service_headers()
    )
    assert_error(lookup, 404, "registration_not_found")
    # and may register again
    assert register(client).status_code == 201
    # the erased row still counts in the organiser's totals
    assert (
        client.get(URL, params={"event_id": "open-event"}, headers=admin_headers()).json()["total"]
        == 2
    )


def test_erasing_a_confirmed_registration_frees_its_place(client: TestClient, db: Database) -> None:
    codes = [
        register(client, email=f"p{number}@example.org").json()["confirmation_code"]
        for number in range(4)
    ]
    client.delete(f"{URL}/{codes[1]}", headers=admin_headers())
    assert [stored(db, code).status for code in codes] == [
        "confirmed",
        "erased",
        "confirmed",
        "confirmed",
    ]


def test_erase_unknown_code_is_404(client: TestClient) -> None:
    assert_error(
        client.delete(f"{URL}/ZZZZZZZZ", headers=admin_headers()), 404, "registration_not_found"
    )


# --- the database, not the code, has the last word ---------------------------------------


def test_the_database_refuses_a_second_active_row_for_one_email(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    from app.models import utcnow

    def row(status: str, key: str, code: str) -> Registration:
        now = utcnow()
        return Registration(
            confirmation_code=code,
            idempotency_key=key,
            event_id="open-event",
            full_name="A B",
            email="dup@example.org",
            language="en",
            status=status,
            consent_given_at=now,
            created_at=now,
            updated_at=now,
        )

    with db.write_session() as session:
        session.add(row("cancelled", "k1", "AAAAAAA2"))
        session.add(row("confirmed", "k2", "AAAAAAA3"))
    with pytest.raises(IntegrityError):
        with db.write_session() as session:
            session.add(row("waitlisted", "k3", "AAAAAAA4"))
    with pytest.raises(IntegrityError):
        with db.write_session() as session:
            session.add(row("cancelled", "k2", "AAAAAAA5"))  # the idempotency key is unique
    with db.session() as session:
        assert len(session.scalars(select(Registration)).all()) == 2


def test_a_same_key_race_lost_at_the_constraint_is_answered_from_the_winner(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second request misses the first's row on its checks (as under PostgreSQL with
    different events locked) and only the unique constraint stops it."""
    from app.services import registrations as service

    winner = register(client, key="race").json()
    real_by_key, real_active = service._by_key, service._active
    calls = {"by_key": 0, "active": 0}

    def blind_by_key(session, key):
        calls["by_key"] += 1  # blind to both checks of the first attempt
        return None if calls["by_key"] <= 2 else real_by_key(session, key)

    def blind_active(session, event_id, email):
        calls["active"] += 1
        return None if calls["active"] == 1 else real_active(session, event_id, email)

    monkeypatch.setattr(service, "_by_key", blind_by_key)
    monkeypatch.setattr(service, "_active", blind_active)
    same = register(client, key="race")
    assert same.status_code == 201 and same.json() == winner

    calls.update(by_key=0, active=0)
    other = register(client, key="race", email="x@example.org")
    assert_error(other, 409, "idempotency_key_reused")
    assert count_registrations(db) == 1


def test_an_email_race_lost_at_the_constraint_is_409(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import registrations as service

    assert register(client).status_code == 201
    real_active = service._active
    calls = {"n": 0}

    def blind_active(session, event_id, email):
        calls["n"] += 1
        return None if calls["n"] == 1 else real_active(session, event_id, email)

    monkeypatch.setattr(service, "_active", blind_active)
    assert_error(register(client), 409, "already_registered")
    assert count_registrations(db) == 1


def test_a_colliding_confirmation_code_is_drawn_again(
    client: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import registrations as service

    taken = register(client).json()["confirmation_code"]
    draws = iter([taken, taken, "NEWCQDE2"])
    monkeypatch.setattr(service, "new_confirmation_code", lambda: next(draws))

    response = register(client, email="second@example.org")
    assert response.status_code == 201
    assert response.json()["confirmation_code"] == "NEWCQDE2"
    assert count_registrations(db) == 2


def test_ids_are_uuids(client: TestClient) -> None:
    assert uuid.UUID(register(client).json()["id"]).version == 4
