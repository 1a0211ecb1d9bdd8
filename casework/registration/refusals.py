"""The Dutch wording of every refusal, in one place.

Colleagues read these on a phone between appointments: one short sentence on what is wrong,
one on what to type instead (B1, friendly, with an example they can copy). Nothing here
repeats client data back: the personal-data refusal names only the kind of data it saw.
"""

from __future__ import annotations

from casework.registration.model import Refusal, RefusalCode

_EXAMPLES: dict[str, str] = {
    "aanmelding": "aanmelding 23-4411 via huisarts",
    "kennismaking": "kennismaking 23-4411 gisteren",
    "start_ondersteuning": "start ondersteuning 23-4411 vandaag",
    "wachtlijst_in": "23-4411 op de wachtlijst",
    "wachtlijst_uit": "23-4411 van de wachtlijst af",
    "wat_telt_meting": "wat telt 23-4411 geld 6 wonen 9",
    "hbh_aanvraag": "hbh aanvraag 23-4411",
    "afsluiting": "afsluiting 23-4411 doel bereikt, kan zelf verder, EW mag",
}
_KINDS_HINT = (
    "Begin met wat er gebeurde (aanmelding, kennismaking, start, wachtlijst, wat telt, "
    "hbh aanvraag of afsluiting) en het casusnummer. Bijvoorbeeld: "
)


class Refused(Exception):
    """Internal control flow: raised deep in the parser, turned into a `Refusal` at the top."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.code.value)
        self.refusal = refusal


def example_for(kind: str) -> str:
    return _EXAMPLES.get(kind, _EXAMPLES["kennismaking"])


def refusal(code: RefusalCode, *, detail: str = "", kind: str = "") -> Refusal:
    """The refusal for `code`; `detail` is a short phrase built by the parser (no client
    data: privacy refusals are decided before any detail is taken from the message)."""
    reason, suggestion = _TEXTS[code]
    return Refusal(
        code,
        reason.format(detail=detail),
        suggestion.format(detail=detail, example=example_for(kind)),
    )


def refuse(code: RefusalCode, *, detail: str = "", kind: str = "") -> Refused:
    return Refused(refusal(code, detail=detail, kind=kind))


_TEXTS: dict[RefusalCode, tuple[str, str]] = {
    RefusalCode.EMPTY: ("Ik zie geen bericht.", "Typ bijvoorbeeld: {example}"),
    RefusalCode.TOO_LONG: (
        "Dit bericht is te lang voor een snelle registratie.",
        "Stuur één korte regel per registratie, bijvoorbeeld: {example}",
    ),
    RefusalCode.PERSONAL_DATA: (
        "Ik zie {detail} in je bericht. Een registratie bevat alleen een casusnummer, nooit "
        "namen of andere gegevens van de klant.",
        "Haal die gegevens weg en stuur het opnieuw, bijvoorbeeld: {example}",
    ),
    RefusalCode.QUESTION: (
        "Dit lijkt een vraag, geen registratie.",
        "Stel je vraag in het vragenkanaal. Wil je iets registreren? Typ bijvoorbeeld: {example}",
    ),
    RefusalCode.NOT_UNDERSTOOD: (
        "Ik begrijp niet wat je wilt registreren.",
        _KINDS_HINT + "{example}",
    ),
    RefusalCode.TWO_KINDS: (
        "Ik lees twee registraties in één bericht: {detail}.",
        "Stuur ze apart, één per bericht. Bijvoorbeeld: {example}",
    ),
    RefusalCode.AMBIGUOUS_KIND: (
        "Ik weet niet welke registratie je bedoelt: {detail}?",
        "Zeg erbij welke, bijvoorbeeld: {example}",
    ),
    RefusalCode.CONTRADICTION: (
        "Je bericht spreekt zichzelf tegen: {detail}.",
        "Kies er één en stuur het bericht opnieuw.",
    ),
    RefusalCode.MISSING_CASE_REF: (
        "Voor '{detail}' heb ik een casusnummer nodig.",
        "Zet het casusnummer erbij, bijvoorbeeld: {example}",
    ),
    RefusalCode.FUTURE_DATE: (
        "De datum {detail} ligt in de toekomst. Registreer iets pas als het gebeurd is.",
        "Klopt de datum niet? Verbeter hem, bijvoorbeeld: {example}",
    ),
    RefusalCode.INVALID_DATE: (
        "De datum {detail} bestaat niet.",
        "Typ de dag en de maand, bijvoorbeeld 14-4 of 14 april.",
    ),
    RefusalCode.VAGUE_DATE: (
        "'{detail}' is niet precies genoeg: ik heb de dag nodig.",
        "Typ bijvoorbeeld 'vorige week dinsdag', 'gisteren' of '14-4'.",
    ),
    RefusalCode.UNKNOWN_TEAM: (
        "Ik ken geen buurtteam '{detail}'.",
        "Typ een van de 18 teams, bijvoorbeeld Zuilen, Ridi of OV Centrum. Laat het team weg "
        "voor je eigen team.",
    ),
    RefusalCode.MISSING_TEAM: (
        "Ik weet niet voor welk team dit is.",
        "Zet het team erbij, bijvoorbeeld: aanmelding zuilen via huisarts",
    ),
    RefusalCode.AMBIGUOUS_TEAM: (
        "Dat past bij meer teams: {detail}.",
        "Typ het hele team, bijvoorbeeld 'OV Centrum' of 'Kanaleneiland Zuid'.",
    ),
    RefusalCode.MISSING_SCORES: (
        "Ik zie geen Wat Telt-scores.",
        "Typ per leefgebied een score van 1 tot en met 15, bijvoorbeeld: {example}",
    ),
    RefusalCode.INCOMPLETE_SCORES: (
        "De scores zijn niet compleet: {detail}.",
        "Zet achter elk leefgebied een score van 1 tot en met 15, bijvoorbeeld: {example}",
    ),
    RefusalCode.SCORE_OUT_OF_RANGE: (
        "Een Wat Telt-score gaat van 1 tot en met 15; {detail}.",
        "Verbeter de score en stuur het opnieuw, bijvoorbeeld: {example}",
    ),
    RefusalCode.GRADE_OUT_OF_RANGE: (
        "Een rapportcijfer is een heel getal van 1 tot en met 10; ik lees {detail}.",
        "Verbeter het cijfer, bijvoorbeeld: rapportcijfer 8",
    ),
    RefusalCode.OTHER_TEAM: (
        "Je kunt alleen registreren voor je eigen team ({detail}).",
        "Laat het team weg, of vraag de coördinator van het andere team om dit te registreren.",
    ),
    RefusalCode.OTHER_TEAMS_CASE: (
        "Casus {detail} hoort bij een ander team.",
        "Kijk het casusnummer en het team na. Een casus van een ander team registreert dat "
        "team zelf, of een coördinator met de naam van dat team erbij.",
    ),
}
