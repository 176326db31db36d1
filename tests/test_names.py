"""Folding names across scripts (heroes.names), with real names from the seed data."""

import csv
import unicodedata
from pathlib import Path

import pytest

from heroes.names import (
    core_text,
    exact_key,
    fold_case,
    is_noise,
    loose_key,
    prefix_keys,
    split_words,
    street_kind,
    tag_key,
    word_key,
    word_stem,
)

SEED = Path(__file__).resolve().parent.parent / "catalog" / "seed"
HEROES = list(csv.DictReader((SEED / "heroes.csv").open(encoding="utf-8")))


@pytest.mark.parametrize(
    "spelling",
    ["Момышулы", "Момышұлы", "Momyshuly", "Momysh-uly", "Momysh uly", "Momyşūly", "MOMYSHULY"],
)
def test_every_spelling_of_momyshuly_has_one_loose_key(spelling):
    assert loose_key(spelling) == "momishuli"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Маметова", "Мәметова"),
        ("Мәметова", "mametova"),
        ("Koshkarbaev", "Қошқарбаев"),
        ("Koshkarbayev", "Qoşqarbaev"),  # en -yev, 2021 Latin ş and q
        ("МОЛДАҒҰЛОВА", "Moldagulova"),
        ("Bauyrzhan", "Bauyrjan"),  # zh / j
        ("Abylkhair", "Абылхаир"),  # kh / х
        ("Khiuaz", "Hiuaz"),  # kh / h (2021 Latin)
        ("Yefim", "Ефим"),  # ye / е
        ("Pyotr", "Пётр"),  # yo / ё
        ("Fyodor", "Федор"),  # ё / е
        ("Sergey Lugansky", "Sergei Luganskii"),  # y / i, -ий
        ("Сергей Луганский", "Sergey Lugansky"),
        ("Timofei Shcherbanyov", "Тимофей Щербанёв"),  # shch / щ
        ("Nysanbayev", "Нысанбаев"),
        ("Izgutty Aitykov", "Ізғұтты Айтықов"),  # doubled letters, і, й
        ("Нұрмағанбетов", "Нұрмағамбетов"),  # нб / мб, both in the seed streets
        ("Mänşük Jienğaliqyzy Mämetova", "Мәншүк Жиенғалиқызы Мәметова"),
        ("İvan Panfilov", "Иван Панфилов"),
        ("Mälık Ğabdullin", "Мәлік Ғабдуллин"),
        ("Жиенғали қызы", "Жиенғалиқызы"),  # patronymic ending written apart
        ("Baýyrjan", "Bauyrzhan"),  # 2018 Latin ý is у
        ("Tsoi", "Цой"),  # ts / ц
        ("Chkalov", "Çkalov"),  # ch / ç
    ],
)
def test_spellings_of_one_name_meet(one, other):
    assert loose_key(one) == loose_key(other)


def test_different_names_stay_apart():
    keys = {loose_key(row["name_en"]) for row in HEROES}
    assert len(keys) == len(HEROES)


def test_seed_names_of_one_hero_meet_in_kazakh_pairs():
    """Kazakh Cyrillic and 2021 Latin are one alphabet in two scripts: their keys
    are equal for every seeded hero that has both."""
    for row in HEROES:
        if row["name_kk"] and row["name_kk_latn"]:
            assert loose_key(row["name_kk"]) == loose_key(row["name_kk_latn"]), row["slug"]


def test_case_folds_cyrillic_and_kazakh_letters():
    assert exact_key("МОЛДАҒҰЛОВА") == exact_key("Молдағұлова") == "молдағұлова"
    assert exact_key("ӘЛИЯ ҚОШҚАРБАЕВ ҢҮӨҺІ") == "әлия қошқарбаев ңүөһі"


def test_dotted_capital_i_leaves_no_combining_dot():
    assert fold_case("İvan") == "ivan"
    assert "\u0307" not in fold_case("İVAN İZGUTTY i\u0307")
    assert exact_key("İvan Panfilov") == exact_key("ivan panfilov")


def test_dotless_i_is_kazakh_i():
    assert word_key("Äbdırov") == word_key("Әбдіров") == word_key("Abdirov")


def test_yo_is_ye_even_in_exact_keys():
    assert exact_key("Пётр Логвин") == exact_key("Петр Логвин")


def test_nfkc_and_nfc_forms_are_one_key():
    decomposed = unicodedata.normalize("NFD", "Мәметова Ёлкин")
    assert exact_key(decomposed) == exact_key("мәметова ёлкин")
    assert exact_key("Ｍｏｍｙｓｈｕｌｙ") == "momyshuly"  # full-width letters


def test_hyphens_apostrophes_and_punctuation():
    assert exact_key("Momysh-uly") == "momyshuly"
    assert exact_key("«Орал» халықаралық әуежайы» ЖШС") == "орал халықаралық әуежайы жшс"
    assert loose_key("Vasil'ev") == loose_key("Васильев") == loose_key("Vasilyev")
    # Parts of a hyphenated word are words too, but no digraph forms across the hyphen.
    (fort,) = split_words("Fort-Shevchenko")
    assert fort.key == "fortshevchenko" and fort.parts == ("fort", "shevchenko")
    assert split_words("Momysh-uly")[0].parts == ("momish",)  # the ending alone is no word


@pytest.mark.parametrize(
    ("forms", "stem"),
    [
        (["Маметова", "Маметовой", "Маметову", "Mametov", "Mametova"], "mamet"),
        (["Молдагуловой", "Молдағұлова", "Moldagulova"], "moldagul"),
        (["Момышұлы", "Momyshuly", "Momyşūly"], "momish"),
        (["Жиенғалиқызы", "Жиенгалиевна"], "jiengal"),  # kk and ru patronymics
        (["Луганский", "Луганского", "Lugansky"], "lugansk"),
        (["Бауыржан", "Бауыржана"], "bauirjan"),  # Russian genitive in a street name
        (["Алия", "Алии", "Aliya"], "ali"),
    ],
)
def test_name_endings_meet_in_the_stem(forms, stem):
    assert {word_stem(word_key(form)) for form in forms} == {stem}


def test_stems_keep_three_letters():
    assert word_stem(word_key("Ova")) == "ova"
    assert word_stem(word_key("Uly")) == "uli"


def test_prefixes_cover_a_cut_off_digraph():
    assert "bauirj" in prefix_keys("Bauyrz")  # zh -> j
    assert "abilh" in prefix_keys("Abylk")  # kh -> h
    assert "e" in prefix_keys("Ye")  # ye -> e
    assert prefix_keys("Мом") == ("mom",)
    assert prefix_keys("…") == ()


def test_street_kind_and_linking_words_are_noise():
    assert street_kind(word_key("даңғылы")) == "avenue"
    assert street_kind(word_key("проспект")) == "avenue"
    assert street_kind(word_key("көшесі")) == "street"
    assert street_kind(word_key("Airport")) == "airport"
    assert street_kind(word_key("Momyshuly")) is None
    assert is_noise(word_key("атындағы")) and is_noise(word_key("named"))
    assert core_text("проспект Момышулы") == "Момышулы"
    assert core_text("Momyshuly Avenue") == "Momyshuly"
    assert core_text("street named after Manshuk Mametova") == "Manshuk Mametova"
    assert core_text("улица") == ""


def test_tag_key_folds_case_and_normal_form():
    decomposed = unicodedata.normalize("NFD", "Ақтөбе")
    assert tag_key("Ақтөбе") == tag_key("АҚТӨБЕ") == tag_key(" ақтөбе ") == tag_key(decomposed)
    assert tag_key("Ақтөбе") == "ақтөбе"
    assert tag_key("Ақтөбе") != tag_key("Актобе")  # another spelling is another tag


@pytest.mark.parametrize("function", [exact_key, loose_key, word_key, word_stem, tag_key])
def test_non_text_is_a_type_error(function):
    with pytest.raises(TypeError):
        function(None)


def test_text_without_letters_gives_empty_keys():
    assert exact_key(" — !? ") == "" and loose_key("«»") == "" and split_words("...") == []
