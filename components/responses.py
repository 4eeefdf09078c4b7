"""Which variation of a response is in which language: the one rule for every reader of
the domain (the Rasa server's NLG, the actions' button titles, the checks and tests).

Every response in ``domain/`` has a Georgian variation, the default, with no marker, and
an English one marked ``metadata: {language: en}``::

    utter_ask_event_date:
    - text: "ღონისძიების თარიღი: {dates}."
    - text: "Event dates: {dates}."
      metadata: {language: en}

The marker is Rasa's own free field of a variation, so Rasa's tools read the files as
they are; ``components/nlg.py`` keeps only the variations of the conversation's language
before Rasa picks one, and drops the marker from what it sends.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from components.georgian import DEFAULT_LANGUAGE, LANGUAGES

LANGUAGE_KEY = "language"


def variation_language(variation: Mapping[str, Any]) -> str:
    """The language a variation is written in (no marker: the default, Georgian)."""
    metadata = variation.get("metadata")
    language = metadata.get(LANGUAGE_KEY) if isinstance(metadata, Mapping) else None
    return str(language) if language else DEFAULT_LANGUAGE


def in_language(variations: Iterable[Mapping[str, Any]], language: str) -> list[Mapping[str, Any]]:
    """The variations written in ``language``; a response without one falls back to the
    default language rather than to nothing."""
    variations = list(variations)
    chosen = [v for v in variations if variation_language(v) == language]
    return chosen or [v for v in variations if variation_language(v) == DEFAULT_LANGUAGE]


def by_language(responses: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, dict[str, list[Any]]]:
    """The domain's responses split into one set of responses per language."""
    return {language: {name: in_language(variations, language) for name, variations in responses.items()}
            for language in LANGUAGES}


def without_marker(message: dict[str, Any]) -> dict[str, Any]:
    """A generated message without the language marker (what the channels receive)."""
    metadata = message.get("metadata")
    if isinstance(metadata, dict) and LANGUAGE_KEY in metadata:
        rest = {k: v for k, v in metadata.items() if k != LANGUAGE_KEY}
        if rest:
            message["metadata"] = rest
        else:
            del message["metadata"]
    return message


def response_text(responses: Mapping[str, Any], name: str, language: str) -> Optional[str]:
    """The text of response ``name`` in ``language``."""
    variations = in_language(responses.get(name) or [], language)
    return variations[0].get("text") if variations else None


def missing_languages(variations: Iterable[Mapping[str, Any]]) -> list[str]:
    """The languages a response has no variation in (``make validate`` requires both);
    an unknown marker counts as its own language, so a typo shows up too."""
    present = {variation_language(v) for v in variations}
    return [language for language in LANGUAGES if language not in present] + sorted(present - set(LANGUAGES))
