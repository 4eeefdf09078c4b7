"""Places (content/places/): the files maintainers edit, and their checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from components import places

PROJECT_DIR = Path(__file__).resolve().parent.parent
AVATAR_TOWNS = {"schio", "thiene", "valdagno", "malo", "isola-vicentina", "marano-vicentino", "monte-di-malo",
                "san-vito-di-leguzzano", "santorso", "torrebelvicino", "villaverla", "zugliano"}

TOWN = {
    "id": "malo", "country": "it", "name": {"ka": "მალო", "en": "Malo"},
    "facts": {"phone": {"value": "+39 0445 585211", "source": "S1"},
              "desk": {"text": {"ka": "მერია", "en": "the town hall"}, "source": "S1", "as_of": "2024-05"}},
    "sources": {"S1": "https://example.org/malo"},
}


def write(folder: Path, town: dict) -> Path:
    (folder / "it").mkdir(parents=True, exist_ok=True)
    (folder / "it.yml").write_text(yaml.safe_dump({"id": "it", "name": {"ka": "იტალია", "en": "Italy"}},
                                                  allow_unicode=True), encoding="utf-8")
    path = folder / "it" / f"{town.get('id')}.yml"
    path.write_text(yaml.safe_dump(town, allow_unicode=True), encoding="utf-8")
    return path


def test_the_content_has_the_twelve_towns_italy_georgia_and_the_demo():
    known = places.load(PROJECT_DIR / "content" / "places")
    assert AVATAR_TOWNS | {"it", "ge", "akhalsopeli"} <= set(known)
    assert all(known[town].country == "it" and "website" in known[town].facts for town in AVATAR_TOWNS)
    assert known["ge"].facts["services_portal"].value == "https://my.gov.ge"
    # every fact carries its source
    assert all(fact.source for place in known.values() for fact in place.facts.values())


def test_a_good_file_is_read(tmp_path):
    write(tmp_path, TOWN)
    malo = places.load(tmp_path)["malo"]
    assert malo.facts["phone"].value == "+39 0445 585211" and malo.facts["desk"].said("ka") == "მერია"
    assert malo.facts["desk"].as_of == "2024-05" and malo.facts["desk"].source == "https://example.org/malo"


@pytest.mark.parametrize("change, problem", [
    ({"facts": {"phone": {"value": "0445 585211", "source": "S1"}}}, "not an international number"),
    ({"facts": {"website": {"value": "www.malo.it", "source": "S1"}}}, "not an http(s) address"),
    ({"facts": {"email": {"value": "malo at comune", "source": "S1"}}}, "not an e-mail address"),
    ({"facts": {"phone": {"value": "+39 0445 585211"}}}, "'source' must name one of"),
    ({"facts": {"desk": {"text": {"en": "the town hall"}, "source": "S1"}}}, "needs a text in each of ka, en"),
    ({"facts": {"mayor": {"value": "x", "source": "S1"}}}, "unknown; known facts are"),
    ({"name": {"ka": "Malo", "en": "Malo"}}, "Georgian script"),
    ({"country": "fr"}, "'country' must be 'it'"),
    ({"facts": {"phone": {"value": "+39 0445 585211", "source": "S1", "as_of": "last year"}}}, "'as_of'"),
])
def test_a_broken_file_is_refused_with_the_reason(tmp_path, change, problem):
    write(tmp_path, {**TOWN, **change})
    with pytest.raises(places.PlaceError, match=re.escape(problem)):
        places.load(tmp_path)


def test_a_town_needs_its_countrys_file(tmp_path):
    write(tmp_path, TOWN)
    (tmp_path / "it.yml").unlink()
    with pytest.raises(places.PlaceError, match="has no file"):
        places.load(tmp_path)
