"""Person names in any case, from name lexicons and the words around them.

"mevrouw fatima el amrani belde in paniek": nothing here is capitalised, yet a colleague reads
a name at once, because "mevrouw" introduces one and "fatima" is a first name that is no Dutch
word. The detector reads the same two kinds of evidence (knowledge/privacy/vocabulary.py):

- after a form of address ("mevrouw", "dhr.", "fam."), a relation ("haar zoon", "de buurman")
  or a naming word ("heet", "genaamd") the next words are a name unless they are ordinary
  Dutch words; a word that is both is a name there when a name lexicon knows it (a surname
  after a title: "mevrouw de groot", "meneer bakker"; a first name after a relation: "dochter
  hoop") and it is not an inflected form ("haar man werkt", "meneer werd boos");
- anywhere, a known first name that is no Dutch word starts a name ("kevin wil niet"), and
  so do two words in a row that no dictionary knows, not even as a typo ("met dawit
  tesfaye", but not "aanmeldng zelfmeldr").

A name runs on over particles ("el", "van der") and over words that are surnames or no Dutch
word at all, four words at most. Forms of address stay outside the span, as in the rest of
the privacy package; chat abbreviations (a closed class) are never names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from knowledge.privacy.lexicon import (
    PARTICLES,
    STOPWORDS,
    TEMPORAL_ADVERBS,
    is_acronym,
    word_set,
)
from knowledge.privacy.model import Hit
from knowledge.privacy.vocabulary import (
    fold,
    is_base_form,
    is_dutch_word,
    is_first_name,
    is_name,
    is_near_dutch_word,
    is_place,
    is_surname,
)

_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# What may stand between a cue and the name: spaces, the dot of "mw.", a colon, a bracket.
_CUE_GAP = re.compile(r"[ \t]*[.:]?[ \t]*\(?[ \t]*")

# Forms of address: what follows is a name, even a word that is also a Dutch word.
ADDRESS_CUES = word_set(
    "mevrouw mevr mvr mw mevrouwtje meneer mnr mr dhr heer mej juffrouw juf fam familie "
    "echtpaar wed weduwe"
)
# Relations and naming words: what follows is a name when it is no Dutch word.
RELATION_CUES = word_set(
    """klant klantje kl cliënt cliënte client clt bewoner bewoonster huurder zoon dochter broer
    zus zuster broertje zusje moeder vader man vrouw echtgenoot echtgenote partner ex
    ex-partner ex-man ex-vrouw vriend vriendin vriendje vriendinnetje buurman buurvrouw
    overbuurman overbuurvrouw buren neef nicht oom tante opa oma kleinzoon kleindochter
    schoonzoon schoondochter schoonmoeder schoonvader zwager schoonzus stiefvader stiefmoeder
    stiefzoon stiefdochter pleegzoon pleegdochter pleegmoeder pleegvader zoontje dochtertje
    kind kindje baby mantelzorger heet heten genaamd naam roepnaam voornaam achternaam
    familienaam meisjesnaam alias tnv kinderen kids zonen
    dochters ouders broers zussen kleinkinderen tweeling gezin huishouden"""
)
# Chat abbreviations and interjections: unknown to a dictionary, never a name.
ABBREVIATIONS = word_set(
    """ff effe zsm asap ipv ivm mbt mbv evt ev ca bv bijv oa o.a tzt ofzo enzo idd gwn wss
    mss sws nvt vgm imo btw aub svp ajb thx tnx pls plz hoi hey hai hee doei dag jah nee neej
    oke okee ok okay okey jup yes nope lol haha hihi hmm hm uhm eh ehm oei oeps jeetje jemig
    wmo wlz zvw jw pgb ggz ggd uwv svb cak cjib duo ind coa bsn iban tel telnr mob mail email
    geb gebdat gbdatum nr nrs huisnr pc adr str ps nb mvg gr grtz groetjes"""
)
# Pronominal adverbs ("zijn zoon erin", "daarmee"): er/hier/daar/waar + a preposition.
PRONOMINAL_ADVERBS = frozenset(
    head + tail
    for head in ("er", "hier", "daar", "waar")
    for tail in word_set(
        """aan achter af bij binnen boven buiten door heen in langs mee na naar naast om omheen
        onder op over rond tegen toe tussen uit van vandaan voor zonder"""
    )
)
MAX_WORDS = 4
_AGED = re.compile(
    r"(?<![\w-])([^\W\d_]{2,}(?:['’-][^\W\d_]+)*)[ ]?\([ ]?"
    r"(?:\d{1,2}|(?:19|20)\d{2}|['’]\d{2})[ ]?(?:jaar|jr\.?)?[ ]?[),]"
)
_VOWEL = re.compile(r"[aeiouyàáâäèéêëìíîïòóôöùúûü]", re.IGNORECASE)


def find_lexicon_names(text: str) -> Iterator[Hit]:
    """Names written in any case, found by the rules of the module docstring."""
    yield from _cued_names(text)
    yield from _aged_names(text)


def _aged_names(text: str) -> Iterator[Hit]:
    """ "jasmijn (22)", "steven (2003)": a word right before an age or a year in brackets is a
    name when a first-name lexicon knows it or no dictionary does."""
    for match in _AGED.finditer(text):
        word = match.group(1)
        if could_be_name(word) and (is_first_name(word) or not is_dutch_word(word)):
            yield Hit(match.start(1), match.end(1), "persoon")


def _cued_names(text: str) -> Iterator[Hit]:
    tokens = list(_TOKEN.finditer(text))
    index, inherited = 0, None
    while index < len(tokens):
        cue = _cue_before(text, tokens, index) or inherited
        if cue == "relation" and tokens[index].group().lower() == "van" and index + 1 < len(tokens):
            index += 1  # "de buurvrouw van roos visser": a preposition, not "van" of a surname
        start = index
        while index + 1 < len(tokens) and _is_initial(text, tokens[index]):
            index += 1  # "naam m. bouzid", "dhr j.p. de vries": initials lead the name
        if index > start and cue is None:
            cue = "initials"  # "is r. martina", "tnv h.j. de jong"
        last = _name_end(_run(text, tokens, index), cue)
        if last is None:
            index, inherited = start + 1, None
            continue
        end = tokens[index + last].end()
        yield Hit(tokens[start].start(), end, "persoon")
        index += last + 1
        # "kinderen ola en kuba", "mevrouw roos en meneer": the cue carries over an "en"
        joined = index + 1 < len(tokens) and tokens[index].group().lower() == "en"
        inherited = cue if joined and text[end : tokens[index].start()] == " " else None
        if inherited:
            index += 1


_INITIAL_GAP = re.compile(r"\.[ ]?")


def _is_initial(text: str, token: re.Match[str]) -> bool:
    """A single letter with its dot, followed by the rest of the name ("j.p. de vries")."""
    gap = _INITIAL_GAP.match(text, token.end())
    return len(token.group()) == 1 and gap is not None and text[gap.end() : gap.end() + 1].isalpha()


def _run(text: str, tokens: list[re.Match[str]], index: int) -> list[str]:
    """The words from `index` on that are only spaces apart (a name is never split by a
    comma or a bracket), at most a name's length plus its particles."""
    words = [tokens[index].group()]
    for before, token in zip(tokens[index:], tokens[index + 1 :], strict=False):
        gap = text[before.end() : token.start()]
        if len(words) > MAX_WORDS + 2 or gap not in (" ", " '", " ’"):
            break
        if gap != " " and token.group().lower() != "t":
            break
        words.append("'t" if gap != " " else token.group())  # "henk van 't hof"
    return words


def _cue_before(text: str, tokens: list[re.Match[str]], index: int) -> str | None:
    """'address' or 'relation' when the word before token `index` introduces a name."""
    if index == 0:
        return None
    before = tokens[index - 1]
    if not _CUE_GAP.fullmatch(text, before.end(), tokens[index].start()):
        return None
    word = fold(before.group())
    if "." in text[before.end() : tokens[index].start()] and word not in ADDRESS_CUES:
        return None  # "2 kinderen. Wie kan": a sentence ended; only "mw." and "dhr." take dots
    if word in ADDRESS_CUES or (
        word == "heer" and index >= 2 and fold(tokens[index - 2].group()) == "de"
    ):
        return "address"
    return "relation" if word in RELATION_CUES else None


def _name_end(words: list[str], cue: str | None) -> int | None:
    """Offset of the last word of a name that starts at words[0], or None."""
    first = 0
    while first < len(words) - 1 and fold(words[first]) in PARTICLES:
        first += 1  # "mevrouw de groot": the particle belongs to the surname
    if first > 0 and cue is None:
        return None
    # "meneer van der linden"; "mw VAN ES", "dhr de Wit": after a form of address and a
    # particle, a capitalised word is the surname even when no list has it (too short, a word)
    surname_after_particle = first > 0 and (
        is_surname(words[first]) or (cue == "address" and _capitalised_surname(words, first))
    )
    starts = surname_after_particle or _starts_name(words[first], cue)
    starts = starts or (cue is None and _first_particle_surname(words))
    if not starts and not _unknown_pair(words, first, cue):
        return None
    last = first
    while last + 1 < len(words) and last + 1 < MAX_WORDS + first:
        step = last + 1
        while step < len(words) - 1 and fold(words[step]) in PARTICLES:
            step += 1
        if step >= len(words) or not _continues_name(words[step], after_particle=step > last + 1):
            break
        last = step
    return last


def _starts_name(word: str, cue: str | None) -> bool:
    if cue == "address" and word[:1].isupper() and not word.isupper():
        folded = fold(word)  # "mw Wil Hoek": a capital after a title is a name, even "Wil"
        return folded not in PARTICLES | ADDRESS_CUES | RELATION_CUES | ABBREVIATIONS
    if not could_be_name(word):
        return False
    if cue == "initials":  # initials are no evidence against "o.a. zzp'ers": a known name
        return is_name(word) and _name_rather_than_word(word)
    if cue == "address":  # "mevrouw de groot", "meneer bakker", but not "meneer werd boos"
        return _name_rather_than_word(word)
    if cue == "relation":  # "dochter hoop", but not "haar man heel angstig"
        return not is_dutch_word(word) or (is_first_name(word) and is_base_form(word))
    return is_first_name(word) and not is_dutch_word(word) and not is_place(word)


def _capitalised_surname(words: list[str], first: int) -> bool:
    """After a form of address and particles: a capitalised word no dictionary knows ("mw van
    Ees"), or any word when particles and word are typed in capitals as a form asks ("mw VAN
    ES"); an acronym or a word in ordinary type is an organisation ("van de GGD")."""
    word = words[first]
    if not word.isalpha() or fold(word) in PARTICLES | ADDRESS_CUES | RELATION_CUES:
        return False
    if all(w.isupper() for w in words[: first + 1]):
        return True
    return word[:1].isupper() and not is_acronym(word) and not is_dutch_word(word)


def _first_particle_surname(words: list[str]) -> bool:
    """ "koen de haan", "bram van dijk": a first name, particles, a surname — the shape of a
    Dutch full name even when each word is also a common word."""
    step = 1
    while step < len(words) - 1 and fold(words[step]) in PARTICLES:
        step += 1
    return (
        step > 1
        and step < len(words)
        and could_be_name(words[0])
        and is_first_name(words[0])
        and is_base_form(words[0])
        and could_be_name(words[step])
        and is_surname(words[step])
    )


def _unknown_pair(words: list[str], first: int, cue: str | None) -> bool:
    """Two words in a row that no dictionary knows, without a cue: a name and a surname."""
    pair = words[first : first + 2]
    return (
        cue is None
        and len(pair) == 2
        and all(
            could_be_name(w) and len(w) >= 3 and is_unknown_word(w) and not is_place(w)
            for w in pair
        )
    )


def is_unknown_word(word: str) -> bool:
    """No dictionary knows it, not even as a typo, and it can be pronounced ("jkl" cannot)."""
    return (
        _VOWEL.search(word) is not None and not is_dutch_word(word) and not is_near_dutch_word(word)
    )


def _continues_name(word: str, *, after_particle: bool) -> bool:
    """A surname after a first name: a word no dictionary knows, or a known name that is a
    word in its own dictionary form ("jan bakker", not "sanne belt"). After a particle any
    known surname will do, even a common word ("kevin van der meer")."""
    if after_particle and is_surname(word) and fold(word) not in PARTICLES:
        return True
    return could_be_name(word) and _name_rather_than_word(word)


def _name_rather_than_word(word: str) -> bool:
    """No dictionary knows it, or a name lexicon does and it is no inflected verb."""
    return not is_dutch_word(word) or (is_name(word) and is_base_form(word))


def could_be_name(word: str) -> bool:
    folded = fold(word)
    return (
        len(folded) >= 2
        and folded not in STOPWORDS
        and folded not in TEMPORAL_ADVERBS
        and folded not in ABBREVIATIONS
        and folded not in PRONOMINAL_ADVERBS
        and folded not in PARTICLES
        and folded not in ADDRESS_CUES
        and folded not in RELATION_CUES
        and not word.isupper()  # UWV, CJIB: organisations
    )


def has_name_evidence(piece: str) -> bool:
    """Whether a lower-case stretch still reads as a name after the keep list took its share:
    at least one word that a name lexicon knows or no dictionary knows."""
    words = _TOKEN.findall(piece)
    after_particle = any(  # "van der meer": a surname after a particle, even a common word
        fold(before) in PARTICLES and fold(word) not in PARTICLES and is_surname(word)
        for before, word in zip(words, words[1:], strict=False)
    )
    return after_particle or any(
        could_be_name(word) and (is_name(word) or not is_dutch_word(word)) for word in words
    )


def name_words(text: str, persons: Iterable[Hit]) -> set[str]:
    """The words of found names that are no Dutch word: safe to remove wherever they recur."""
    return {
        fold(word)
        for hit in persons
        for word in _TOKEN.findall(text[hit.start : hit.end])
        if len(word) >= 3 and could_be_name(word) and not is_dutch_word(word)
    }


_PLACEHOLDER = re.compile(r"\[[a-zA-Z-]+\]")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n)\W*$")


def doubtful_words(text: str, protected: Iterable[tuple[int, int]] = ()) -> tuple[str, ...]:
    """Words left in a de-identified text that could still name someone, for the asker to
    look at before colleagues see it: a surname or first name that is also a Dutch word
    ("Roos", "bakker"), a known surname that no rule removed ("amrani" alone), or a capitalised
    word no dictionary knows in the middle of a sentence ("Tesfaye"). Words the keep list
    protects (teams, neighbourhoods, organisations, services) are never doubtful."""
    guarded = list(protected)
    found: list[str] = []
    for match in _TOKEN.finditer(_PLACEHOLDER.sub(lambda m: " " * len(m.group()), text)):
        word = match.group()
        if len(word) < 3 or not could_be_name(word) or word in found:
            continue
        if any(s < match.end() and e > match.start() for s, e in guarded):
            continue
        mid_sentence = not _SENTENCE_START.search(text[: match.start()])
        capital = word[0].isupper() and mid_sentence
        known_name = is_name(word) and (capital or not is_dutch_word(word))
        unknown_capital = capital and not is_dutch_word(word) and not is_near_dutch_word(word)
        if known_name or unknown_capital:
            found.append(word)
    return tuple(found)
