"""Names across scripts: fold a name to the keys that search compares.

People type a name as they know it: Kazakh Cyrillic (``Момышұлы``), Russian
Cyrillic (``Момышулы``), the 2021 Kazakh Latin alphabet (``Momyşūly``), English
transliteration (``Momyshuly``), with hyphens (``Momysh-uly``), in capitals, or
with a small typo. This module turns any of them into the same keys, in Python,
so that the keys are identical on SQLite and PostgreSQL (no database collation,
``lower()`` or ``LIKE`` is involved: SQLite folds only ASCII case). Search stores
these keys next to each page and compares them with indexed equality and range
lookups (see :mod:`catalog.search`).

Three levels, from strict to loose:

``fold_case(text)``
    Unicode NFKC, full case folding (``str.casefold``), ``ё`` -> ``е``, NFC. The
    capital dotted ``İ`` (Kazakh and Turkish Latin) folds to a plain ``i``:
    Python's ``"İ".casefold()`` is ``i`` + U+0307 COMBINING DOT ABOVE, which is
    removed, as is any combining dot left on an ``i`` or ``j``.
``exact_key(text)``
    ``fold_case`` with apostrophes and hyphens dropped (``Momysh-uly`` ->
    ``momyshuly``) and every other run of punctuation or spaces made one space.
    Script-preserving: ``момышұлы`` and ``момышулы`` stay different. Equal exact
    keys mean "the same name as written".
``word_key(word)`` (the *skeleton*)
    One word in a lossy Latin spelling shared by every script and transliteration
    habit: Kazakh and Russian Cyrillic letters, the 2021 (and 2018) Kazakh Latin
    letters, then ``anyascii`` (https://github.com/anyascii/anyascii) for any other
    letter; then the English/Russian transliteration habits are merged:
    ``shch``/``щ`` -> ``sh``; ``zh``/``j``/``dzh``/``ж`` -> ``j``; ``kh``/``h``/``х``/``һ``
    -> ``h``; ``ts``/``ц`` -> ``c``; ``ch``/``ç``/``ч`` -> ``ch``; ``ş``/``ш`` -> ``sh``;
    ``gh``/``ğ``/``ғ`` -> ``g``; ``q``/``қ`` -> ``k``; ``ñ``/``ң`` -> ``ng``; ``ye``/``yo``
    (``Yefim``, ``Pyotr``) -> ``e``; ``y``/``i``/``ı``/``ы``/``і``/``и``/``й`` -> ``i``;
    ``ә``/``ä`` -> ``a``, ``ө``/``ö`` -> ``o``, ``ұ``/``ү``/``ū``/``ü`` -> ``u``; ``nb``
    -> ``mb`` (``Нұрмағанбетов``/``Нұрмағамбетов``); doubled letters -> one
    (``Gabdullin``/``Габдулин``); soft and hard signs dropped. Result: ``[a-z0-9]*``.
    ``Momyshuly``, ``Момышұлы``, ``Момышулы``, ``Momyşūly`` and ``Momishuly`` all
    give ``momishuli``.
``word_stem(skeleton)``
    The skeleton without a name ending, so that inflected and gendered forms
    meet: Kazakh patronymic endings ``-ұлы/-улы/-uly/-ūly`` and ``-қызы/-кызы/
    -kyzy/-qyzy``; Russian surname endings ``-ов/-ова/-ев/-ева/-ин/-ина`` (also
    ``-ov/-ova/-ev/-yev``) with their case forms (``Маметовой``, ``Маметову``);
    ``-ский`` forms; patronymics ``-ович/-евич/-овна/-евна``; then trailing vowels
    (``Бауыржана`` -> ``bauirjan``). At least three letters are kept.

The Kazakh Latin letters are those of the alphabet approved by Decree of the
President of the Republic of Kazakhstan No. 569 of 26 October 2017 "On the
transfer of the Kazakh alphabet from Cyrillic to the Latin script", as amended
by Decree No. 637 of 19 February 2018 (acute accents: á ǵ ń ó ú ý), and of its
2021 version (ä ğ ñ ö ş ū ü ç, dotted İ i for и/й and dotless I ı for і, j for
ж), presented to the Government's National Commission on 28 January 2021.

Street-kind words (``улица``, ``көшесі``, ``проспект``, ``даңғылы``, ``avenue``,
``street`` ...) and linking words (``имени``, ``атындағы``, ``named after``) are
*noise*: :func:`street_kind` and :func:`is_noise` tell them apart, so that search
can treat them as hints rather than required words.

Every function takes ``str`` and returns ``str`` (or a list/tuple/set of them);
passing anything else raises ``TypeError``. Text with no letters or digits gives
empty keys. :data:`KEY_VERSION` changes whenever a rule here changes, so stored
keys can be rebuilt (``manage.py rebuild_search_index``).
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

KEY_VERSION = 1

# Longest skeleton kept for a word; longer "words" are codes or mistakes.
MAX_WORD_KEY = 64

_APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4\u02bb\u2032"
_HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen (not dashes)
_COMBINING_DOT_ABOVE = "\u0307"
# For use inside a regular-expression character class.
_APOSTROPHE_CLASS = re.escape(_APOSTROPHES)
_HYPHEN_CLASS = re.escape(_HYPHENS)

# Kazakh and Russian Cyrillic (lowercase, after fold_case) to an intermediate Latin
# that follows the English habits; the skeleton rules then merge the habits.
_CYRILLIC = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "ng",
    "о": "o",
    "ө": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ұ": "u",
    "ү": "u",
    "ф": "f",
    "х": "kh",
    "һ": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "і": "i",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    # Ukrainian and Belarusian letters, found in some heroes' names.
    "є": "ye",
    "ї": "yi",
    "ґ": "g",
    "ў": "u",
}

# Kazakh Latin (2021 and 2018 versions) and other Latin letters whose anyascii
# spelling would not meet the Cyrillic one (anyascii gives ş -> s, ñ -> n, ý -> y).
_LATIN = {
    "ş": "sh",
    "ç": "ch",
    "ğ": "g",
    "ǵ": "g",
    "ñ": "ng",
    "ń": "ng",
    "ū": "u",
    "ü": "u",
    "ú": "u",
    "ý": "u",  # 2018 Kazakh Latin ý is у
    "ö": "o",
    "ó": "o",
    "ä": "a",
    "á": "a",
    "ı": "i",
    "š": "sh",
    "ž": "zh",
    "č": "ch",
}

# The 2017 apostrophe version (s' = ш, c' = ч, g' = ғ, n' = ң, y' = у) and Russian
# transliteration's l', n' for ь; any other apostrophe is dropped.
_APOSTROPHE_LETTERS = re.compile(rf"([scgny])[{_APOSTROPHE_CLASS}]")
_APOSTROPHE_SPELLING = {"s": "sh", "c": "ch", "g": "g", "n": "ng", "y": "u"}

# Transliteration habits merged into one spelling, applied in this order.
_HABITS = [
    (re.compile(r"shch"), "sh"),
    (re.compile(r"dzh|dj"), "j"),
    (re.compile(r"zh"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"ts"), "c"),
    (re.compile(r"q"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"w"), "v"),
    (re.compile(r"y[eo]"), "e"),
    (re.compile(r"y"), "i"),
    (re.compile(r"nb"), "mb"),
]
_DOUBLED = re.compile(r"([a-z])\1+")


def _collapse(key):
    """Doubled letters as one: ``gabdullin`` -> ``gabdulin``."""
    return _DOUBLED.sub(r"\1", key)


# Name endings (on skeletons), longest first; see word_stem.
_ENDINGS = sorted(
    [
        # Kazakh patronymics: -ұлы/-улы/-uly/-ūly, -қызы/-кызы/-kyzy/-qyzy
        "uli",
        "kizi",
        # Russian patronymics
        "ovich",
        "evich",
        "ovna",
        "evna",
        "ichna",
        # Russian surnames in -ов/-ев/-ин and their case forms
        "ov",
        "ova",
        "ovoi",
        "ovu",
        "ovim",
        "ovom",
        "ovih",
        "ev",
        "eva",
        "evoi",
        "evu",
        "evim",
        "evom",
        "evih",
        "ina",
        "inoi",
        "inu",
        "inim",
        "inom",
    ],
    key=len,
    reverse=True,
)
# -ский/-ская and case forms keep "sk": Луганский, Луганского -> lugansk
_SKI_ENDINGS = ("skogo", "skomu", "skaia", "skoi", "skim", "skom", "ski")
_VOWELS = "aeiou"
_MIN_STEM = 3

# Kazakh patronymic endings written as a separate word ("Жиенғали қызы"): joined on.
_SEPARATE_ENDINGS = {"uli", "kizi"}

_SEPARATORS = re.compile(rf"[^\w{_APOSTROPHE_CLASS}{_HYPHEN_CLASS}\u0300-\u036f]+")


def _check(text):
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")


def fold_case(text):
    """``text`` (str) with Unicode NFKC, full case folding, ``ё`` -> ``е`` and no
    stray combining dot (``İ`` -> ``i``), NFC-composed. Keeps every letter and
    punctuation mark otherwise. Raises ``TypeError`` for a non-str."""
    _check(text)
    text = unicodedata.normalize("NFKC", text).replace("İ", "i").casefold()
    text = unicodedata.normalize("NFD", text)
    text = re.sub(rf"(?<=[ij]){_COMBINING_DOT_ABOVE}", "", text)
    return unicodedata.normalize("NFC", text).replace("ё", "е")


def fold_nfc(text):
    """``text`` in Unicode NFC with surrounding and repeated spaces removed (for
    tag names: ``"Ақтөбе"`` typed with combining marks equals the composed form).
    Case is kept. Raises ``TypeError`` for a non-str."""
    _check(text)
    return " ".join(unicodedata.normalize("NFC", text).split())


def tag_key(name):
    """The key under which tag names are one tag: NFC, case-folded, single spaces.
    ``"Ақтөбе"``, ``"АҚТӨБЕ"`` and ``"ақтөбе"`` give ``"ақтөбе"``. Raises ``TypeError``."""
    return " ".join(fold_case(fold_nfc(name)).split())


def _join(token):
    return re.sub(rf"[{_APOSTROPHE_CLASS}{_HYPHEN_CLASS}_]", "", token)


def exact_key(text):
    """The script-preserving key of ``text`` (str): the :func:`fold_case` words,
    apostrophes and hyphens removed, joined by single spaces; punctuation goes.
    ``"Momysh-uly"`` -> ``"momyshuly"``; ``"«Орал» әуежайы"`` -> ``"орал әуежайы"``.
    Raises ``TypeError`` for a non-str."""
    return " ".join(word.exact for word in split_words(text))


@lru_cache(maxsize=100_000)
def _skeleton(token):
    """The skeleton of one case-folded token (apostrophes and hyphens allowed);
    cached: rebuilding the keys of a large catalogue meets the same words again."""
    token = _APOSTROPHE_LETTERS.sub(lambda m: _APOSTROPHE_SPELLING.get(m.group(1), ""), token)
    token = _join(token)
    latin = "".join(_CYRILLIC.get(char, _LATIN.get(char, char)) for char in token)
    if not latin.isascii():
        latin = anyascii(latin).lower()
    latin = re.sub(r"[^a-z0-9]", "", latin)
    for pattern, replacement in _HABITS:
        latin = pattern.sub(replacement, latin)
    return _collapse(latin)[:MAX_WORD_KEY]


def word_key(word):
    """The cross-script skeleton of one word (str -> ``[a-z0-9]*`` str, at most
    :data:`MAX_WORD_KEY` characters). ``"Момышұлы"``, ``"Momyşūly"``, ``"Momyshuly"``
    -> ``"momishuli"``. Several words are joined into one key. Raises ``TypeError``."""
    return "".join(word.key for word in split_words(word))[:MAX_WORD_KEY]


def word_stem(skeleton):
    """``skeleton`` (a :func:`word_key` result) without a name ending and trailing
    vowels, keeping at least three letters: ``"mametova"``, ``"mametovoi"`` ->
    ``"mamet"``; ``"momishuli"`` -> ``"momish"``; ``"luganskogo"`` -> ``"lugansk"``.
    Raises ``TypeError`` for a non-str."""
    _check(skeleton)
    stem = skeleton
    for ending in _SKI_ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) + 2 >= _MIN_STEM:
            return stem[: len(stem) - len(ending)] + "sk"
    for ending in _ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) >= _MIN_STEM:
            stem = stem[: -len(ending)]
            break
    while len(stem) > _MIN_STEM and stem[-1] in _VOWELS:
        stem = stem[:-1]
    return stem


@dataclass(frozen=True)
class Word:
    """One word of a name: ``text`` as written (case kept, punctuation removed),
    ``exact`` (:func:`exact_key`), ``key`` (:func:`word_key`), ``stem``
    (:func:`word_stem`), ``parts`` (skeletons of the parts of a hyphenated word,
    patronymic endings left out; else empty)."""

    text: str
    exact: str
    key: str
    stem: str
    parts: tuple = ()


def split_words(text):
    """The words of ``text`` (str) as a list of :class:`Word`, in order. A Kazakh
    patronymic ending written apart (``"Жиенғали қызы"``) is joined to the word
    before it. Words without letters or digits are left out. Raises ``TypeError``."""
    _check(text)
    raw = [
        token.strip(_APOSTROPHES + _HYPHENS)
        for token in _SEPARATORS.split(unicodedata.normalize("NFKC", text))
    ]
    words = []
    for token in raw:
        folded = fold_case(token)
        key = _skeleton(folded)
        if not key:
            continue
        if key in _SEPARATE_ENDINGS and words:
            before = words.pop()
            text_joined = before.text + token
            key = _collapse(before.key + key)[:MAX_WORD_KEY]
            words.append(Word(text_joined, before.exact + _join(folded), key, word_stem(key)))
            continue
        parts = tuple(
            part for part in (_skeleton(p) for p in re.split(rf"[{_HYPHEN_CLASS}]", folded)) if part
        )
        if len(parts) > 1:
            # Each part on its own, so no digraph forms across the hyphen ("Fort-Shevchenko").
            key = _collapse("".join(parts))[:MAX_WORD_KEY]
            parts = tuple(part for part in parts if part not in _SEPARATE_ENDINGS)
        else:
            parts = ()
        words.append(Word(_join(token), _join(folded), key, word_stem(key), parts))
    return words


def loose_key(text):
    """The skeletons of all words of ``text`` joined without spaces (str), so that
    spacing and hyphenation do not matter: ``"Momysh uly"``, ``"Momysh-uly"``,
    ``"Момышұлы"`` -> ``"momishuli"``. Raises ``TypeError`` for a non-str."""
    return "".join(word.key for word in split_words(text))


def prefix_keys(word):
    """Skeleton prefixes to try for ``word`` (str) typed in part: the word's own
    skeleton, plus the spellings a cut-off digraph may become (``"Bauyrz"`` may be
    the start of ``zh`` -> ``j``; ``"Abylk"`` of ``kh`` -> ``h``; ``"Y"`` of ``ye``
    -> ``e``). Returns a tuple of distinct non-empty str. Raises ``TypeError``."""
    _check(word)
    folded = _join(fold_case(word))
    key = _skeleton(folded)
    if not key:
        return ()
    forms = [key]
    # Only a Latin letter can be the first half of a digraph.
    tail = folded[-1:]
    alternatives = {"z": "j", "k": "h", "t": "c", "d": "j"}
    if tail in alternatives:
        forms.append(key[:-1] + alternatives[tail])
    if tail == "y" and len(key) > 1:
        forms.append(key[:-1])
    return tuple(dict.fromkeys(form for form in forms if form))


# --- Noise: street-kind and linking words ------------------------------------------

# Words for each street kind (the values of heroes.models.StreetPage.Kind), in
# Russian, Kazakh, English and common transliterations, with the abbreviations
# people type.
STREET_KIND_WORDS = {
    "street": [
        "улица",
        "улицы",
        "улице",
        "ул",
        "көшесі",
        "көше",
        "street",
        "st",
        "str",
        "ulitsa",
        "koshesi",
        "köşesi",
    ],
    "avenue": [
        "проспект",
        "проспекта",
        "пр",
        "пр-т",
        "даңғылы",
        "даңғыл",
        "avenue",
        "ave",
        "av",
        "prospekt",
        "prospect",
        "dangyly",
        "dañğyly",
    ],
    "lane": ["переулок", "пер", "тұйығы", "тұйық", "lane", "ln", "pereulok"],
    "boulevard": ["бульвар", "бульвары", "бул", "boulevard", "blvd", "bulvar"],
    "square": ["площадь", "пл", "алаңы", "алаң", "square", "sq", "ploshchad", "alany"],
    "park": ["парк", "саябағы", "саябақ", "park", "saiabagy"],
    "school": [
        "школа",
        "школы",
        "мектеп",
        "мектебі",
        "гимназия",
        "лицей",
        "school",
        "gymnasium",
        "lyceum",
        "mektep",
    ],
    "airport": ["аэропорт", "әуежайы", "әуежай", "airport", "aeroport", "auejaiy"],
    "air_base": ["авиабаза", "airbase"],
    "museum": ["музей", "музейі", "museum", "muzei"],
    "memorial": ["мемориал", "мемориалы", "memorial"],
}
# Words that link a place to the person it is named after.
LINKING_WORDS = ["имени", "им", "имя", "атындағы", "есімі", "есіміндегі", "named", "after"]

_KIND_BY_KEY = {}
for _kind, _words in STREET_KIND_WORDS.items():
    for _word in _words:
        _KIND_BY_KEY.setdefault(word_key(_word), _kind)
_LINKING_KEYS = {word_key(word) for word in LINKING_WORDS}


def street_kind(word_skeleton):
    """The street kind (``"street"``, ``"avenue"`` ... as in
    ``heroes.models.StreetPage.Kind``) that a word names, given its skeleton
    (:func:`word_key`), or None. Raises ``TypeError`` for a non-str."""
    _check(word_skeleton)
    return _KIND_BY_KEY.get(word_skeleton)


def is_noise(word_skeleton):
    """Whether a word (its skeleton) is a street-kind or linking word, which search
    treats as a hint, not as a required word. Raises ``TypeError`` for a non-str."""
    _check(word_skeleton)
    return word_skeleton in _KIND_BY_KEY or word_skeleton in _LINKING_KEYS


def core_text(text):
    """``text`` without its street-kind and linking words (str, words joined by
    spaces, as written): ``"проспект Момышулы"`` -> ``"Момышулы"``; ``""`` if no other
    word is left. Raises ``TypeError`` for a non-str."""
    return " ".join(word.text for word in split_words(text) if not is_noise(word.key))


def is_cyrillic(text):
    """Whether ``text`` (str) has more Cyrillic than Latin letters."""
    _check(text)
    cyrillic = sum(1 for char in text if "\u0400" <= char <= "\u04ff")
    latin = sum(
        1 for char in text if (char.isascii() and char.isalpha()) or "\u00c0" <= char <= "\u024f"
    )
    return cyrillic > latin
