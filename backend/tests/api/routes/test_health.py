from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.db import Database


def test_health_is_ok_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_is_503_when_the_database_does_not_answer(client: TestClient, app: FastAPI) -> None:
    # Nothing listens on port 1 of 127.0.0.1: the connection is refused at once.
    app.state.db = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["detail"]["code"] == "service_unavailable"
