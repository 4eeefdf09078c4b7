"""Property-based run over the OpenAPI schema (schemathesis) against a real uvicorn server:
no generated input makes the service answer 5xx, and every answer conforms to the
documented schema (status codes, bodies, headers, authentication)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from app.core.config import Settings
from app.main import create_app
from tests.conftest import ADMIN_TOKEN, SERVICE_TOKEN, LiveServer

# Examples per operation and phase: the run takes about 15 s per database on 2 cores.
MAX_EXAMPLES = 100

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            # Unknown query parameters are ignored, as HTTP APIs usually do (unknown body
            # fields are refused).
            "allow-extra-parameters": False,
        },
        "checks": {
            # The schema states types and bounds; the finer rules (letters of a name, an
            # email's syntax after trimming) are in the descriptions and answered with a 422
            # and a reason per field. So schema-valid data may still be refused.
            "positive_data_acceptance": {"enabled": False},
        },
        # Mostly realistic values for the fields with rules the schema cannot state, so
        # that generated registrations also reach the database (created, waitlisted,
        # closed, already registered), not only the validation.
        "dictionaries": {
            "event_ids": {
                "values": [
                    "open-event",
                    "unlimited-event",
                    "full-event",
                    "closed-event",
                    "past-deadline-event",
                    "no-such-event",
                ]
            },
            "names": {
                "values": ["ნინო ბერიძე", "Giorgi Maisuradze", "Anna-Maria O'Neil", "J. Doe"]
            },
            "emails": {"values": ["nino@example.org", "Giorgi@Example.org ", "anna@example.org"]},
        },
        "parameters": {
            "body.event_id": {"dictionary": "event_ids", "probability": 0.8},
            "body.full_name": {"dictionary": "names", "probability": 0.7},
            "body.email": {"dictionary": "emails", "probability": 0.7},
        },
        "auth": {
            "openapi": {
                "ServiceToken": {"bearer": SERVICE_TOKEN},
                "AdminToken": {"bearer": ADMIN_TOKEN},
            }
        },
    }
)

# The schema only (building the app touches no database); each operation then runs
# against a live server on the test database, cleaned before every operation.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(environment="development")).openapi(), config=CONFIG
)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples every run: a failure here is reproducible
    database=None,  # no .hypothesis/ folder
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: schemathesis.Case, live_server: LiveServer) -> None:
    case.call_and_validate(base_url=live_server.url)
