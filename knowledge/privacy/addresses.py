"""Street addresses: a street followed by a house number, as Dutch addresses write them.

A street is recognised by its Dutch head word at the end ("-straat", "-laan", "-zijde"), or
after a cue ("woont op", "adres:"). The house number takes what the BAG (Basisregistratie
Adressen en Gebouwen) allows after it, a huisletter and a huisnummertoevoeging (12a, 12-2,
12 bis, 12 hs, 14 zwart), and what people add on the envelope by PostNL's conventions: the
floor or position of the door ("3 hoog", "driehoog", "2e etage", "tweede verdieping",
"1e verd", "bg", "begane grond", "souterrain", "boven", "beneden", "achter"). All of it is
part of the address: a floor left standing narrows down who lives there.

Typed in lower case ("ondiep-zuidzijde 12a", "thomas à kempisweg 34") a street needs a head
word that ordinary words do not end in, or a word no dictionary knows as a whole that ends in
a street head; the words just before it that no dictionary knows belong to its name, also
over a particle ("jan van galenstraat"). A number followed by a count or a unit ("de kade 3
keer", "het park 2 uur") is a quantity, not a house number.

A street keeps what its name carries: initials or an abbreviated title ("J.P. Coenstraat",
"St.-Jacobsstraat", "burgemeester reigerstraat"), a leading article or particle ("'t Goylaan",
"Van Zijstweg"), and its side ("Weerdsingel O.Z."). The BAG numbers berths and pitches too
("Kanaalweg ligplaats 14"). After a living cue a few words may stand before "op"/"aan"
("wonen sinds kort op Vaartsche Rijn 86"); and a street found once is an address again
wherever a house number follows it ("Lauwerecht 15? nee, Lauwerecht 15 bis").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.number_words import UNITS, ordinal_words
from knowledge.privacy.lexicon import (
    CLEAR_STREET_SUFFIXES,
    INITIALS,
    LETTER,
    NAME_WORD,
    PARTICLE,
    PARTICLES,
    STOPWORDS,
    STREET_SUFFIXES,
    TITLE_WORDS,
    UPPER,
    word_set,
)
from knowledge.privacy.model import Hit
from knowledge.privacy.vocabulary import fold, is_dutch_word, is_whole_dutch_word

_ORDINALS = frozenset(ordinal_words(10))  # "Tweede Daalsedijk" as "2e Daalsedijk"
# A street named after someone keeps the initials or abbreviated title of the name
# ("J.P. Coenstraat", "St.-Jacobsstraat", "Burg. Reigerstraat"); a street along water names
# its side after the name, abbreviated ("Weerdsingel O.Z.": oostzijde, "W.Z.", "N.Z.", "Z.Z.").
_ABBREVIATION = r"(?:[A-Za-z]{1,5}\.[ ]?-?)"
_SIDE = r"(?:[ ][NOZWnozw]\.?[ ]?[Zz]\.?(?=[ ,]))?"
_STREET_NAME = (
    rf"(?:(?:{NAME_WORD}|{PARTICLE}|\d{{1,2}}e)[ ]|{INITIALS}){{0,3}}"
    rf"(?:[{UPPER}][a-z]{{0,4}}\.[ ]?-?)?"
    rf"[{UPPER}][\w'’-]*?(?:{STREET_SUFFIXES}){_SIDE}"
)
# A house number and its addition as Dutch addresses write them (BAG: huisletter and
# huisnummertoevoeging, up to four letters or digits): 12a, 12 A, 12-2, 12-2hg, 12 bis, 12 hs,
# 12-III, 12/3, 14 zwart, 61 BS; then a room or flat in shared housing ("2 kamer 4").
_ADDITION_WORD = r"(?:bis|hs|bg|hg|huis|hoog|zwart|rood|zw|rd|I{1,3}|IV|VI{0,3}|IX|X)"
_UNIT = r"(?:,?[ ](?i:kamer|unit|app(?:artement)?\.?)[ ]?\d{1,4}[a-zA-Z]?(?!\w))?"
# The floor or door: "3 hoog", "3hoog", "driehoog", "2e etage", "tweede verdieping", "1e verd",
# "bg", "begane grond", "souterrain", "kelder", "zolder"; the position words only where no
# noun phrase follows ("12 boven", but not "12 boven de winkel"), also as PostNL abbreviates
# them ("bov", "ben").
_CARDINAL = "|".join(UNITS[1:])
_ORDINAL = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_STOREY = r"(?:etage|et|verdieping|verd|vd)\.?"
_NOT_A_PHRASE = (
    r"(?![ ](?i:de|het|een|die|dat|deze|dit|mijn|zijn|haar|hun|ons|onze|uw|bij|in|op|aan)\b)"
)
_FLOOR = (
    rf"(?i:\d{{1,2}}[ -]?(?:hoog|hg)|(?:{_CARDINAL})[ -]?hoog"
    rf"|\d{{1,2}}(?:e|ste|de)[ ]?{_STOREY}|(?:{_ORDINAL})[ ]{_STOREY}"
    rf"|begane[ ]grond|bg|souterrain|sout|parterre|zwart|rood|zw|rd|bis|hs"
    rf"|(?:boven|beneden|achter|huis|kelder|zolder)(?:woning|huis)?{_NOT_A_PHRASE}"
    rf"|(?:bov|ben)\.?(?![ ](?i:ik|je|jij|u|er|niet|al|nu|het)\b){_NOT_A_PHRASE})(?![\w-])"
)
# "12-1e verd.": the storey after an addition that was the floor's ordinal.
_FLOORS = rf"(?:(?:,?[ ]|[ ]?-[ ]?){_FLOOR}|(?<=\d[eE])[ ]?(?i:{_STOREY})(?![\w-])){{0,2}}"
_HOUSE_NUMBER = (
    rf"\d{{1,5}}(?:[ ]?-[ ]?\d{{1,3}}(?:[ ]?(?:{_ADDITION_WORD}|[a-zA-Z]))?(?!\w)"
    rf"|[ ]?-?[ ]?{_ADDITION_WORD}(?!\w)"
    rf"|[ ]?-?[ ]?[a-zA-Z](?!\w)"
    rf"|[ ][A-Z]{{2,4}}(?![\w-])"
    rf"|-[ ]?[a-zA-Z]{{1,3}}(?!\w)"
    rf"|/\d{{1,3}}(?!\w))?{_UNIT}{_FLOORS}"
)
# Between street and number: a space, or "nr.", "huisnr", "huisnummer", "no." ("Kanaalweg nr 7"),
# or the BAG's objects that are no building: a berth or a pitch ("Kanaalweg ligplaats 14",
# "standplaats 3").
_BEFORE_NUMBER = (
    r"(?:,?[ ](?i:huisnummer|huisnr|nummer|nr|no|ligplaats|standplaats|lpl|stpl)\.?[ ]?|[ ])"
)
_ADDRESS = re.compile(
    rf"(?<![\w-])(?P<street>{_STREET_NAME}){_BEFORE_NUMBER}(?P<number>{_HOUSE_NUMBER})(?!\d)"
)
# Typed in lower case ("vleutenseweg 12", "ondiep-zuidzijde 12a", "thomas à kempisweg 34"):
# a street head word at the end of the last word, which may be a hyphenated compound.
_ADDRESS_LOWER = re.compile(
    rf"(?<![\w-])(?P<street>(?:[a-zà-ÿ][a-zà-ÿ'’.-]*[ ]){{0,4}}{_ABBREVIATION}?"
    rf"(?P<last>[a-zà-ÿ](?:[{LETTER}]|-){{2,}}?(?P<head>{STREET_SUFFIXES}))){_SIDE}"
    rf"{_BEFORE_NUMBER}"
    rf"(?P<number>{_HOUSE_NUMBER})(?!\d)"
)
_CLEAR_HEAD = re.compile(rf"(?:{CLEAR_STREET_SUFFIXES})")
# The cue may be a few words from the preposition: "wonen sinds kort op Vaartsche Rijn 86".
_ADDRESS_AFTER_CUE = re.compile(
    rf"(?i:woont|wonen|woonde|wonende?|woonachtig|verhuisd[ ]naar|(?:woon|post)?adres)"
    rf"(?:(?:[ ][a-zë]+){{0,3}}?[ ](?:op|aan)(?![\w-]))?[ ]?:?"
    rf"[ ]?(?:de[ ]|het[ ])?"
    rf"(?P<street>(?:['’]t[ ])?{NAME_WORD}(?:[ ](?:{PARTICLE}|{NAME_WORD})){{0,3}})"
    rf"{_BEFORE_NUMBER}(?P<number>{_HOUSE_NUMBER})(?!\d)"
)
# What a number counts or measures, so that it is no house number: "de kade 3 keer".
COUNTED = word_set(
    """keer maal x jaar jaren jr maand maanden mnd week weken wk dag dagen uur uren u min minuut
    minuten kwartier seconden sec nacht nachten kinderen kind personen persoon mensen man
    vrouwen stuks stuk euro eur procent km kilometer meter m kg gram liter cm mm punten
    verdiepingen kamers treden"""
)
_NEXT_WORD = re.compile(r"[ ]?([^\W\d_]+|%|€)")


def is_quantity(text: str, end: int) -> bool:
    """Whether the number ending at `end` is followed by what it counts ("3 keer", "2 uur")."""
    following = _NEXT_WORD.match(text, end)
    return following is not None and fold(following.group(1)) in COUNTED | {"%", "€"}


def find_addresses(text: str) -> Iterator[Hit]:
    """Addresses by the rules of the module docstring; then a street found once is an address
    wherever a house number follows it again ("Lauwerecht 15? nee, Lauwerecht 15 bis")."""
    found = list(_first_addresses(text))
    yield from found
    streets = {text[hit.start : end] for hit in found if (end := _street_end(text, hit))}
    for street in streets:
        pattern = rf"(?<![\w-]){re.escape(street)}{_BEFORE_NUMBER}{_HOUSE_NUMBER}(?!\d)"
        for match in re.finditer(pattern, text):
            if not is_quantity(text, match.end()):
                yield Hit(match.start(), match.end(), "adres")


def _first_addresses(text: str) -> Iterator[Hit]:
    for pattern in (_ADDRESS, _ADDRESS_AFTER_CUE):
        for match in pattern.finditer(text):
            start, _ = _trim_street(text, *match.span("street"))
            if start < match.end("street") and not is_quantity(text, match.end("number")):
                yield Hit(start, match.end("number"), "adres")
    for match in _ADDRESS_LOWER.finditer(text):
        if _lower_street(match.group("last"), match.group("head")) and not is_quantity(
            text, match.end("number")
        ):
            yield Hit(_street_start(text, *match.span("street")), match.end("number"), "adres")


_NUMBER_START = re.compile(rf"{_BEFORE_NUMBER}\d")
# What may follow a street's own name before the number: its side ("Ondiep Zuidzijde 71").
_NAME_TO_NUMBER = re.compile(
    rf"(?:[ -](?i:noord|oost|zuid|west)-?zijde|{_SIDE.removesuffix('?')})?{_BEFORE_NUMBER}\d"
)


def numbered_after(text: str, end: int) -> bool:
    """Whether a house number follows the name ending at `end`, right away or after the
    street's side: then the name is the street's, even where it also names a neighbourhood
    ("woont Lombok 12", "Ondiep Zuidzijde 71"), not where another street follows."""
    return _NAME_TO_NUMBER.match(text, end) is not None


def _street_end(text: str, hit: Hit) -> int | None:
    """Where the street of an address hit ends: before its first house number."""
    for match in _NUMBER_START.finditer(text, hit.start, hit.end):
        return match.start() if match.start() > hit.start else None
    return None


def _lower_street(word: str, head: str) -> bool:
    """A lower-case street word: an unmistakable head ("-straat", "-laan", "-singel"), a
    hyphenated compound ("ondiep-zuidzijde"), or a compound the dictionary does not list as a
    whole ("zuidzijde" but not "achterzijde", "lombokplein" but not "antwoord")."""
    if len(word) <= len(head):
        return False  # the bare head ("de kade 3") is a common noun
    return bool(_CLEAR_HEAD.fullmatch(head)) or "-" in word or not is_whole_dutch_word(word)


def _trim_street(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a street span past leading openers, titles and particles ("aan de Kanaalweg"),
    keeping a leading ordinal ("Tweede Daalsedijk")."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    while words:
        word = text[words[0][0] : words[0][1]]
        if word.lower() in _ORDINALS or (word in ("'t", "’t") and len(words) > 1):
            break  # "Tweede Daalsedijk", "'t Goylaan": the article of a name is part of it
        if word.lower().rstrip(".:") not in STOPWORDS | TITLE_WORDS and not word.islower():
            break
        words.pop(0)
    return (words[0][0], words[-1][1]) if words else (start, start)


def _street_start(text: str, start: int, end: int) -> int:
    """Where a lower-case street name begins: its last word (the one with the street ending)
    and the words just before it that no dictionary knows ("marco pololaan", "thomas à
    kempisweg"), also over a particle with such a word before it ("jan van galenstraat"),
    never an opener, article or cue ("woont op de kanaalstraat")."""
    words = [m.group() for m in re.finditer(r"\S+", text[start:end])]
    offsets = [m.start() for m in re.finditer(r"\S+", text[start:end])]
    first = len(words) - 1
    while first > 0:
        word = words[first - 1]
        if fold(word) in _IN_NAME:  # "jan van galenstraat": particles inside the name
            before = first - 1
            while before > 0 and fold(words[before - 1]) in _IN_NAME:
                before -= 1
            if before > 0 and _name_like(words[before - 1]):
                first = before - 1
                continue
            # "(op de) van zijstweg", "is van hogendorpstraat": a street may begin with its
            # particle; an article before it belongs to the sentence ("op de kanaalstraat")
            while before < first and fold(words[before]) in _ARTICLES:
                before += 1
            first = before
            break
        if not _name_like(word):
            break
        first -= 1
    return start + offsets[first]


# Particles inside a street's name: the surname particles, and the "à" of "Thomas à Kempis".
_IN_NAME = PARTICLES | {"a"}


# The titles a street takes from the person it is named after ("burgemeester reigerstraat",
# "dr. jan de vriesweg", "prof. van der waalsstraat"): a closed class, dictionary words all.
_STREET_TITLES = word_set(
    """burgemeester burg dokter dr professor prof pastoor pater generaal gen kapitein kap
    admiraal koning koningin prins prinses graaf gravin hertog jonkheer jhr mr minister
    president dominee ds meester mgr monseigneur kardinaal bisschop sint st"""
)
_ARTICLES = frozenset({"de", "het"})
_INITIALS_TYPED = re.compile(r"(?:[a-zA-Z]\.){1,4}")


def _name_like(word: str) -> bool:
    if fold(word).rstrip(".") in _STREET_TITLES or _INITIALS_TYPED.fullmatch(word):
        return True
    return fold(word) not in STOPWORDS | _IN_NAME and not is_dutch_word(word)
