"""Logging of the service, with e-mail addresses and phone numbers masked in every record.

A safety net: the service logs no personal data itself, but uvicorn's access log prints
every URL with its query string, and the organisers' list filters by e-mail
(`GET /api/v1/registrations?email=...`), as does a lookup (`GET .../{code}?email=...`).
The patterns and the record factory that applies them are the shared package's
(`avatar_shared.masking`), which the assistant's processes use too.
"""

from __future__ import annotations

import logging

from avatar_shared.masking import (
    EMAIL_MARK,
    PHONE_MARK,
    MaskingFilter,
    install,
    mask_record,
    mask_text,
)

__all__ = [
    "EMAIL_MARK",
    "PHONE_MARK",
    "MaskingFilter",
    "configure_logging",
    "install_masking",
    "mask_record",
    "mask_text",
]

install_masking = install  # masks every record made from now on (once per process)


def configure_logging(level: str) -> None:
    """The service's log format at `level`, with masking."""
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    install_masking()
