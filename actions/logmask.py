"""Masks email addresses and phone numbers in every log record of this process.

A safety net, not the rule: our code logs no personal data at INFO (tests/test_privacy.py
reads the logs of a whole registration), but a library's message, an exception text or a
URL may still carry some. Rasa and the action server are started through this module
(scripts/start-rasa.sh, scripts/start-actions.sh), which installs the masking first:

    python -m actions.logmask rasa run ...          # = rasa run ..., with masking
    python -m actions.logmask rasa_sdk --actions actions

`install()` wraps the logging record factory, so every record, from any logger and
whatever handlers Rasa or Sanic configure later, is masked when it is made: its message,
its arguments (kept in place, so formatters that read them, like uvicorn's access log,
still work), its traceback and stack. Names cannot be recognised reliably and are not
masked here: they must never be logged in the first place.

The patterns and the record factory are the shared package's (avatar_shared.masking),
which the registration service uses too.
"""

from __future__ import annotations

import runpy
import sys
from typing import List

from avatar_shared.masking import EMAIL_MARK, PHONE_MARK, MaskingFilter, install, mask_record, mask_text

__all__ = ["EMAIL_MARK", "PHONE_MARK", "MaskingFilter", "install", "mask_record", "mask_text", "main"]


def main(argv: List[str]) -> None:
    """Runs `python -m <module> <args>` with masking installed first."""
    if not argv:
        sys.exit("usage: python -m actions.logmask <module> [arguments ...]")
    install()
    sys.argv = list(argv)
    runpy.run_module(argv[0], run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
