"""The NLG answers in the language of the latest message, and every response can."""

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.georgian import georgian_share, is_georgian_letter
from components.nlg import LanguageAwareNLG

DOMAIN = Domain.load("domain.yml")


def tracker_with(*languages):
    tracker = DialogueStateTracker("citizen", DOMAIN.slots)
    for language in languages:
        tracker.update(UserUttered("...", {"name": "greet", "confidence": 1.0}, [],
                                   parse_data={"language": language}))
    return tracker


def generate(name, tracker, **kwargs):
    nlg = LanguageAwareNLG(domain=DOMAIN)
    return asyncio.run(nlg.generate(name, tracker, "rest", **kwargs))


def georgian(text):
    return any(map(is_georgian_letter, text))


@pytest.mark.parametrize("languages, expect_georgian", [
    ((), True),  # Georgian first
    (("ka",), True),
    (("en",), False),
    (("en", None), False),  # "ok" keeps English
    (("en", "ka"), True),
    (("ka", "en"), False),
])
def test_answer_follows_the_latest_message_with_a_known_language(languages, expect_georgian):
    assert georgian(generate("utter_greet", tracker_with(*languages))["text"]) == expect_georgian


def test_variables_are_filled_in():
    answer = generate("utter_ask_event_date", tracker_with("en"), dates="24–27 May")
    assert "24–27 May" in answer["text"]


@pytest.mark.parametrize("name", sorted(DOMAIN.responses))
def test_every_response_exists_in_georgian_and_english(name):
    ka = generate(name, tracker_with("ka"))["text"]
    en = generate(name, tracker_with("en"))["text"]
    # names like AVATAR, ALDA and the partner towns stay in Latin letters in Georgian text
    assert georgian_share(ka) >= 0.3, f"{name}: the default variation is not Georgian"
    assert georgian_share(en) < 0.2, f"{name}: the English variation is not English"
