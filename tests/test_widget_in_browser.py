"""The web widget in a real browser (web/tests, Playwright driving Debian's Chromium),
against this project's own servers and model."""

import os
import subprocess

import pytest

from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.e2e

WEB = PROJECT_DIR / "web"


def test_widget_suite_passes_against_our_assistant(servers):
    pytest_bin = WEB / ".venv" / "bin" / "pytest"
    assert pytest_bin.exists(), "run web/scripts/setup-test.sh first (make test does)"
    result = subprocess.run(
        [str(pytest_bin), "-q", "-p", "no:cacheprovider", "tests"],
        cwd=WEB, capture_output=True, text=True, timeout=600,
        env={**os.environ, "RASA_URL": servers.rasa_url, "RASA_BUTTON_MESSAGE": "what can you do?",
             # the demo page switched to Schio: "talk to a person" names Schio's number
             "RASA_PLACE_QUESTION": "I want to talk to a person", "RASA_PLACE_FACT": "+39 0445 691111"},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
