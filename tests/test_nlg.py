"""The NLG answers in the language of the latest message, and every response can."""

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.georgian import georgian_share, is_georgian_letter
from components.nlg import LanguageAwareNLG
from components.responses import missing_languages

DOMAIN = Domain.load("domain")


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


def test_the_language_marker_chooses_the_variation_and_is_not_sent():
    answer = generate("utter_greet", tracker_with("en"))
    assert "metadata" not in answer or "language" not in answer["metadata"]


def test_channel_variations_and_other_metadata_stay_rasa_s():
    domain = Domain.from_dict({"responses": {"utter_hi": [
        {"text": "გამარჯობა"},
        {"text": "Hello", "metadata": {"language": "en", "link_target": "_blank"}},
        {"text": "Hello, Telegram", "channel": "telegram", "metadata": {"language": "en"}},
    ]}})
    nlg = LanguageAwareNLG(domain=domain)
    tracker = tracker_with("en")
    assert asyncio.run(nlg.generate("utter_hi", tracker, "telegram"))["text"] == "Hello, Telegram"
    web = asyncio.run(nlg.generate("utter_hi", tracker, "rest"))
    assert web["text"] == "Hello" and web["metadata"] == {"link_target": "_blank"}
    assert asyncio.run(nlg.generate("utter_hi", tracker_with("ka"), "rest"))["text"] == "გამარჯობა"


def test_a_response_without_an_english_variation_falls_back_to_georgian():
    # make validate refuses such a response; a maintainer's mistake still gets an answer
    nlg = LanguageAwareNLG(domain=Domain.from_dict({"responses": {"utter_hi": [{"text": "გამარჯობა"}]}}))
    assert asyncio.run(nlg.generate("utter_hi", tracker_with("en"), "rest"))["text"] == "გამარჯობა"


def test_make_validate_names_a_missing_or_mistyped_language():
    assert missing_languages([{"text": "გამარჯობა"}, {"text": "Hi", "metadata": {"language": "en"}}]) == []
    assert missing_languages([{"text": "გამარჯობა"}]) == ["en"]
    assert missing_languages([{"text": "გამარჯობა"}, {"text": "Hi", "metadata": {"language": "eng"}}]) == ["en", "eng"]


def test_responses_set_after_creation_are_split_per_language():
    # what Rasa's agent does: the NLG exists before the model, whose responses come later
    nlg = LanguageAwareNLG(domain=None)
    nlg.responses = DOMAIN.responses
    assert asyncio.run(nlg.generate("utter_greet", tracker_with("en"), "telegram"))["text"].startswith("Hello")
