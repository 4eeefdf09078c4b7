"""What the channels themselves say, in Georgian and English side by side.

These sentences are not in domain/ on purpose: they are answers about the message
itself (empty, too long, too many, the assistant could not finish), given by the channel
code (channels/guard.py) before or after the model runs, and some of them must work
exactly when the model's answer does not (the action server is down, no model is
loaded, a sender floods the assistant). Keeping them here means they need no retraining
and no model to be rendered. Everything the assistant says about its topics stays in
the domain.
"""

from __future__ import annotations

from typing import Dict

from components.georgian import DEFAULT_LANGUAGE

NOTICES: Dict[str, Dict[str, str]] = {
    # an empty or whitespace-only message; the domain's utter_help follows when it exists
    "empty": {
        "ka": "თქვენი შეტყობინება ცარიელი მოვიდა. გთხოვთ, კითხვა ტექსტით დამიწეროთ.",
        "en": "Your message arrived empty. Please type your question.",
    },
    # a message longer than CHANNEL_MAX_MESSAGE_CHARS; sent before the answer
    "cut": {
        "ka": "თქვენი შეტყობინება ძალიან გრძელია: წავიკითხე მხოლოდ პირველი {limit} სიმბოლო.",
        "en": "Your message was very long: I read only its first {limit} characters.",
    },
    # more than CHANNEL_RATE_LIMIT_MESSAGES in CHANNEL_RATE_LIMIT_SECONDS from one sender
    "slow_down": {
        "ka": "მოკლე დროში ძალიან ბევრი შეტყობინება მივიღე. გთხოვთ, ერთი წუთი მოიცადოთ და შემდეგ ისევ მომწეროთ.",
        "en": "You have sent many messages in a short time. Please wait a minute, then write again.",
    },
    # the message went through the model but nothing came back (e.g. the action server is down)
    "unavailable": {
        "ka": "ამის დასრულება ახლა ვერ შევძელი. გთხოვთ, ერთ წუთში კიდევ სცადოთ.",
        "en": "I can't finish that right now, please try again in a minute.",
    },
}


def format_count(number: int, language: str) -> str:
    """1000 -> "1,000" in English, "1 000" in Georgian (a space groups thousands)."""
    grouped = f"{number:,}"
    return grouped.replace(",", "\u00a0") if language == "ka" else grouped


def notice(name: str, language: str, **values: int) -> str:
    """The sentence ``name`` in ``language`` (Georgian when the language is unknown)."""
    sentences = NOTICES[name]
    language = language if language in sentences else DEFAULT_LANGUAGE
    formatted = {key: format_count(value, language) for key, value in values.items()}
    return sentences[language].format(**formatted)
