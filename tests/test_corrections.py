"""A citizen's correction read as what it corrects to (components/corrections.py)."""

from __future__ import annotations

import pytest

from components.corrections import corrected


@pytest.mark.parametrize("text, writing, expected", [
    ("not the fee, the dates", "en", "the dates"),
    ("no not where, when", "en", "when"),
    ("sorry i meant the hotels not the venue", "en", "the hotels"),
    ("the programme not the venue", "en", "the programme"),
    ("no not the venue but the hotels", "en", "the hotels"),
    ("sorry i meant the programme", "en", "the programme"),
    ("i dont want to sign up i just want to know the dates", "en", "i just want to know the dates"),
    # not when but where (translit); not the hotel, Faber Box's address
    ("ara rodis ki ara sad", "ka-Latn", "sad"),
    ("bodishi sastumro ki ara faber boxis misamarti", "ka-Latn", "faber boxis misamarti"),
    # where, not when; not the date but the place
    ("სად, როდის კი არა", "ka", "სად"),
    ("არა თარიღი არამედ ადგილი", "ka", "ადგილი"),
    # hello, not the hotel, the address: the greeting stays
    ("გამარჯობა, სასტუმრო კი არა, მისამართი მაინტერესებს", "ka", "გამარჯობა, მისამართი მაინტერესებს"),
    # I don't want to register, only how much it costs
    ("registracia ar minda, mxolod ra girs", "ka-Latn", "mxolod ra girs"),
    # sorry, I meant the hotel, not the building (Georgian says what was meant first)
    ("ბოდიში, სასტუმრო ვიგულისხმე, შენობა კი არა", "ka", "სასტუმრო"),
    ("bodishi programa vigulisxme ara misamarti", "ka-Latn", "programa"),
    ("ვგულისხმობ სასტუმროს", "ka", "სასტუმროს"),
    # courtesy alone in front of the question goes
    ("excuse me, sorry to bother you, where is it", "en", "where is it"),
    ("ბოდიშით რომ გაწუხებთ, ორგანიზატორი ვინ არის", "ka", "ორგანიზატორი ვინ არის"),
    ("excuse me sorry to bother, i dont want to register, just tell me is it free", "en", "is it free"),
    # "no, sorry" takes back what was asked before it: where is the event... no, sorry, the hotel
    ("ღონისძიება სად არის... არა ბოდიში, სასტუმრო მაინტერესებს", "ka", "სასტუმრო მაინტერესებს"),
    ("sad tardeba? ara bodishi sastumro mainteresebs", "ka-Latn", "sastumro mainteresebs"),
    ("is it free? no, sorry, i meant the hotel", "en", "the hotel"),
    # "just tell me" in front of a question goes: I don't want to register, just tell me, free or paid?
    ("არ მინდა რეგისტრაცია უბრალოდ მითხარი უფასოა თუ ფულიანი", "ka", "უფასოა თუ ფულიანი"),
    ("just tell me where it is", "en", "where it is"),
    ("ubralod mitxari rodis iwyeba", "ka-Latn", "rodis iwyeba"),
    # ... and "no, wait", or "no," alone between two questions
    ("when is it, no wait, where is it, and is it free?", "en", "where is it, and is it free?"),
    ("rodis aris? ara moica, sad aris?", "ka-Latn", "sad aris?"),  # when is it? no wait, where?
    ("როდის არის? არა, სად არის? და სასტუმრო?", "ka", "სად არის? და სასტუმრო?"),  # ... and the hotel?
    # how to answer, after the question, goes: is registration still open? yes or no, tell me
    ("რეგისტრაცია ჯერ ღიაა? კი ან არა მითხარი", "ka", "რეგისტრაცია ჯერ ღიაა?"),
    ("what is open data, explain simple pls", "en", "what is open data"),
])
def test_a_correction_leaves_what_it_corrects_to(text, writing, expected):
    assert corrected(text, writing) == expected


@pytest.mark.parametrize("text, writing", [
    ("is it free or not", "en"),
    ("i can not come, what now", "en"),
    ("im not sure when it is, can you tell me", "en"),
    ("not yet, when does it open", "en"),
    ("can i come if i am not a municipality worker", "en"),
    ("why not", "en"),
    ("no", "en"),
    ("ara, madloba", "ka-Latn"),  # no, thanks
    ("არა მგონი", "ka"),  # I don't think so
    ("ara", "ka-Latn"),
    ("ra vigulisxme?", "ka-Latn"),  # what do I mean?
    ("sorry to bother you", "en"),  # nothing left after the courtesy
    ("excuse me, sorry", "en"),
    ("yes or no", "en"),  # nothing but how to answer
])
def test_a_negation_that_corrects_nothing_leaves_the_message_alone(text, writing):
    assert corrected(text, writing) is None
