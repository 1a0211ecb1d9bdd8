"""The small Dutch grammar the name and address detectors share.

These are closed word classes (titles, name particles, sentence openers, street and
organisation endings), not domain vocabulary: terms routing needs live in
``knowledge/data/privacy_keep.txt``. Character classes are built from Unicode so that names
such as Öztürk, Şahin, Paweł or Yılmaz count as capitalised words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

UPPER = re.escape("".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper()))
LETTER = r"^\W\d_"  # negated class content: any letter

# A capitalised word (Gert-Jan, O'Neill, El-Amrani); all-caps acronyms are filtered later.
NAME_WORD = rf"[{UPPER}][{LETTER}]*+(?:[-'’][{LETTER}]++)*+"
INITIALS = rf"(?:[{UPPER}]\.\s?){{1,4}}"


def word_set(text: str) -> frozenset[str]:
    """A closed word class written as one string of words."""
    return frozenset(text.split())


def word_alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first, so "jan" never wins over "janna"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Surname particles (tussenvoegsels), also the Arabic and Romance ones: El Amrani, dos Santos.
# "vd" is how a chat writes "van de"/"van der" ("dhr vd berg").
PARTICLES = word_set(
    "van de der den het 't te ter ten el al ben bin abu da dos du di le la von zu vd"
)
PARTICLE = (
    r"(?:[vV]an|[vV][dD]|[dD]e[nr]?|[hH]et|'t|[tT]e[nr]?|[eE]l|[aA]l|[bB]en|[bB]in|[aA]bu|[dD]os|[dD]a|"
    r"[dD]u|[dD]i|[lL]e|[lL]a|[vV]on)"
)

# Words that introduce a person by name: forms of address and roles (formal), and relations
# ("zijn dochter Sanne"). Matched case-insensitively.
FORMAL_TITLES = (
    r"mevrouw|mevr\.?|mw\.?|meneer|mnr\.?|dhr\.?|de\s+heer|heer|mej\.?|juffrouw|klant|cliënte?|"
    r"client|clt\.?|familie|fam\.?|gezin|echtpaar|casus|dokter|dr\."
)
RELATIONS = (
    r"zoon|dochter|broer|zus|zuster|moeder|vader|man|vrouw|echtgeno(?:ot|te)|partner|ex|"
    r"ex-partner|ex-man|ex-vrouw|vriend|vriendin|buurman|buurvrouw|neef|nicht|oom|tante|opa|oma|"
    r"kleinzoon|kleindochter|schoonzoon|schoondochter|schoonmoeder|schoonvader|zwager|schoonzus|"
    r"stiefvader|stiefmoeder|pleegmoeder|pleegvader|kind|zoontje|dochtertje|mantelzorger|"
    r"bewindvoerder|mentor|huisarts|collega|overbuurman|overbuurvrouw|huisgenoot|verhuurder|"
    r"heet|genaamd|naam:?|gaat[ ]om|betreft|(?:contactpersoon|aanspreekpunt)(?:[ ]is|:)?"
)
TITLE_WORDS = word_set(
    "mevrouw mevr mw meneer mnr dhr heer mej juffrouw klant cliënt cliënte client clt familie "
    "fam gezin echtpaar casus dokter dr"
)

# Capitalised words that open sentences or name days and months: never part of a name.
STOPWORDS = word_set(
    """de het een ik jij je hij zij ze wij we jullie mijn haar zijn ons onze hun uw dit dat deze
    die wie wat waar wanneer waarom hoe welke welk kan kun kunnen kunt mag mogen moet moeten wil
    willen wilt zal zou zouden heeft hebben heb is was waren wordt worden weet weten kent kennen
    ken ben bent graag vandaag gisteren morgen vanochtend vanmiddag vanavond nu ook maar en of
    want dus toen als omdat sinds na voor bij met van in op aan uit over door naar om tot tegen
    zonder tijdens per via volgens namens iemand niemand alle alles veel geen er hier daar soms
    vraag vraagje casus tip tips help hulp hallo hoi dag beste goedemorgen goedemiddag groet
    groeten dank bedankt zie ps nb afgelopen vorige volgende elke iedere sommige helaas misschien
    eigenlijk inmiddels verder daarnaast bovendien ondanks hierbij adres tel telefoon mail email
    bsn iban geboren geb heeft ervaring iedereen klanten collega collega's team maandag dinsdag
    woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei juni juli augustus
    september oktober november december kerst pasen ramadan suikerfeest offerfeest nederland
    nederlands nederlandse turks turkse marokkaans marokkaanse arabisch engels pools poolse
    syrisch syrische eritrees eritrese somalisch surinaams antilliaans mevrouw meneer heer
    dhr mevr klant cliënt familie god allah ok oke okay dankjewel groetjes urgent spoed let
    vanuit tussen onder boven binnen buiten samen even meer minder nieuw nieuwe oude grote
    kleine goed goede eerste tweede derde laatste centrale centraal gezond gezonde positief
    positieve sterk sterke vrij vrije open echt alleen thuis welkom actief actieve digitaal
    digitale sociaal sociale maatschappelijk maatschappelijke gratis extra speciaal speciale
    lokaal lokale stedelijk stedelijke regionaal regionale landelijk landelijke"""
)

# Labels of the numbers people quote that are not personal (a case, an order, an invoice): a
# number after one is not a BSN by the eleven-test, nor an IBAN by its shape alone.
OTHER_NUMBER_LABEL = re.compile(
    r"(?:(?:dossier|zaak|order|factuur|klant|casus|registratie|polis|contract|relatie|debiteur|"
    r"huurders|referentie|beschikking|aanslag|cjib)[\s-]?(?:nummer|nr\.?)|kenmerk|referentie|"
    r"order|factuur|dossier|zaak|casus)\W{0,4}$",
    re.IGNORECASE,
)

# Dutch adverbs of time, built as Dutch builds them: a day ("gisteren", "maandag"), or a day
# or "van" with a part of the day ("gisteravond", "vanmiddag", "maandagochtend", and with the
# adverbial s: "zondagavonds"). Words, never names, whatever a dictionary lacks.
_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_DAY_PARTS = ("ochtend", "morgen", "middag", "avond", "nacht")
_DAYS = ("gister", "gisteren", "eergister", "eergisteren", "morgen", "overmorgen", "vandaag")
TEMPORAL_ADVERBS = frozenset(
    {*_DAYS, *_WEEKDAYS}
    | {
        head + part + s
        for head in ("gister", "eergister", "morgen", "overmorgen", "van", *_WEEKDAYS)
        for part in _DAY_PARTS
        for s in ("", "s")
    }
)

STREET_SUFFIXES = (
    "straatweg|straat|laan|weg|plein|kade|gracht|dreef|singel|hof|park|pad|steeg|dijk|baan|"
    "markt|veld|wal|dam|werf|haven|brug|ring|allee|boulevard|erf|gaarde|hoek|oord|plantsoen|"
    "rade|schans|tuin|tuinen|vaart|zijde|kanaal|poort|stede|hoven|akker|horst|waard|plaats|"
    "sluis|burcht|wetering|kwartier|wal|bolwerk|passage|promenade|kamp"
)
# The endings that make a word almost surely a street rather than a surname.
CLEAR_STREET_SUFFIXES = "straatweg|straat|laan|weg|plein|kade|gracht|dreef|singel|steeg|plantsoen"
CLEAR_STREET = re.compile(rf"(?:{CLEAR_STREET_SUFFIXES})$")

# Words that head an organisation's name; the capitalised words after them belong to it.
ORG_HEADS = (
    r"Stichting|Vereniging|Buurtteam|Buurthuis|Buurtcentrum|Wijkcentrum|Speeltuinvereniging|"
    r"Repair\s+Caf[ée]|Huize|Zorgcentrum|Woonzorgcentrum|Verpleeghuis|Moskee|Kerk|Gemeente|"
    r"Team|Stadsteam|Wijkteam|Jeugdteam|Huis\s+van\s+de\s+Wijk|Centrum|Fonds|Caf[ée]|"
    r"Bibliotheek|Taalhuis|Sportclub|Voetbalvereniging|Kliniek|Ziekenhuis|Praktijk|"
    r"Huisartsenpraktijk|Apotheek|School|Hogeschool|Universiteit|Basisschool|College|Coöperatie|"
    r"Ministerie|Dienst|Bureau|Project|Programma|Platform|Netwerk|Inloophuis|Hotel|Speeltuin|"
    r"Buurtrestaurant|Restaurant|Koffieochtend|Inloop|Spreekuur|Cursus|Training|Groep|Methode|"
    r"Module|Vrouwengroep|Mannengroep|Ontmoetingsgroep|Buurtkamer|Wijkpunt|Moedercentrum|Atelier"
)
# Lowercase words that introduce the name of an activity ("de cursus Positief Opvoeden").
ACTIVITY_HEADS = (
    r"cursus|training|groep|project|programma|methode|module|spreekuur|inloop|app|website|"
    r"workshop|bijeenkomst|activiteit|koffieochtend|maaltijd|speeltuin|buurtrestaurant|regeling|"
    r"buurthuis|wijkcentrum|buurtcentrum|verpleeghuis|verzorgingshuis|zorgcentrum|moskee|kerk|"
    r"school|club|vereniging|stichting|praktijk|organisatie|instelling|corporatie|opvang|"
    r"inloophuis|kliniek|ziekenhuis|atelier|restaurant|winkel"
)
# Endings of Dutch common words that names (almost) never have: Toegang is no surname.
COMMON_WORD_SUFFIX = re.compile(
    r"(?:ing|ingen|heid|heden|schap|tie|ties|sie|teit|isme|ief|ieve|isch|ische|lijk|lijke|baar|"
    r"zaam|erij|nis|iën|ën|(?<=\w{5})(?:aanse|ense|tse|dse|kse))$",
    re.IGNORECASE,
)
# Endings that mark an organisation or facility word (Voedselbank, VluchtelingenWerk).
ORG_SUFFIX = re.compile(
    r"(?<=\w\w|\w-)(?:bank|werk|zorg|groep|fonds|centrum|loket|dienst|team|punt|winkel|school|"
    r"college|bureau|stichting|vereniging|kliniek|moskee|caf[ée]|station|academie|wijzer|"
    r"coalitie|alliantie|maatje|plaza|portaal|kring|club|atelier|administratie)$"
    r"|(?:inloop|buurt|club|wijk|verpleeg|zieken|zorg|taal|welkom|odense)huis$",
    re.IGNORECASE,
)


def is_acronym(word: str) -> bool:
    """UWV, CJIB, DOCK: organisations, never names."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_name_token(word: str) -> bool:
    """A capitalised word that could be (part of) a name; particles are handled by callers."""
    return (
        len(word) >= 2
        and word[0].isupper()
        and not is_acronym(word)
        and word.lower() not in STOPWORDS | TEMPORAL_ADVERBS
        and not ORG_SUFFIX.search(word)
        and not COMMON_WORD_SUFFIX.search(word)
    )
