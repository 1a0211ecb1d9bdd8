"""Parsed events back into words: a message that parses to the same event, and card text.

`to_message` writes the event the way a colleague could have typed it, using the first cue of
each data row ("van de wachtlijst af", "melder veilig thuis"), so the round trip
parse(to_message(e)) == e holds for every event and proves the vocabulary covers its own
output. The summaries are for the confirmation card, where the sender checks before saving;
defaults (own team, sending day) are marked so a wrong default is easy to spot, and so are
guesses (a field read by the embedder: "Melder: familie (afgeleid, klopt dat?)"); what the
message said but the event does not hold is listed under it ("Let op: ..."), so nothing a
sender typed disappears without a word.
"""

from __future__ import annotations

from casework.registration.model import CLOSURE_FLAGS, Parsed
from casework.registration.vocabulary import Vocabulary, load_vocabulary
from knowledge.taxonomy import name_for

_FLAG_TEXT: dict[str, tuple[str, str]] = {
    "zelfstandig_verder": ("kan zelfstandig verder", "kan niet zelfstandig verder"),
    "volgens_plan": ("volgens plan", "niet volgens plan"),
    "ervaringwijzer": ("Ervaringwijzer: ja", "Ervaringwijzer: nee"),
}


def _day(event: Parsed) -> str:
    return event.occurred_on.strftime("%d-%m-%Y")


def to_message(event: Parsed, vocabulary: Vocabulary | None = None) -> str:
    """A short Dutch message that parses back to `event` (given the same sending day)."""
    vocab = vocabulary or load_vocabulary()
    parts = [vocab.kinds[event.kind].phrase]
    if event.case_ref:
        parts.append(f"casus {event.case_ref}")
    parts.append(f"team {event.team}")
    if event.melder:
        parts.append(f"melder {vocab.melders[event.melder].phrase}")
    if event.reden:
        parts.append(vocab.closure[("reden", event.reden)].phrase)
    for flag in CLOSURE_FLAGS:
        value = getattr(event, flag)
        if value is not None:
            parts.append(vocab.closure[(flag, "true" if value else "false")].phrase)
    if event.rapportcijfer is not None:
        parts.append(f"rapportcijfer {event.rapportcijfer}")
    parts += [f"{slug.replace('_', ' ')} {score}" for slug, score in event.scores]
    parts.append(f"op {_day(event)}")
    return ", ".join(parts)


GUESSED = " (afgeleid, klopt dat?)"


def _details(event: Parsed, vocab: Vocabulary) -> list[tuple[str, str]]:
    """(label, value) pairs for the kind-specific fields, in card order."""
    rows: list[tuple[str, str]] = []
    if event.melder:
        rows.append(("melder", vocab.melders[event.melder].label + _mark(event, "melder")))
    if event.reden:
        reason = vocab.closure[("reden", event.reden)].label
        rows.append(("reden", reason + _mark(event, "reden")))
    for flag in CLOSURE_FLAGS:
        value = getattr(event, flag)
        if value is not None:
            rows.append(("", _FLAG_TEXT[flag][0 if value else 1]))
    if event.rapportcijfer is not None:
        rows.append(("rapportcijfer", str(event.rapportcijfer)))
    if event.scores:
        scores = ", ".join(f"{name_for(slug)} {score}" for slug, score in event.scores)
        rows.append(("Wat Telt", scores + _mark(event, "scores")))
    return rows


def _mark(event: Parsed, name: str) -> str:
    return GUESSED if name in event.guessed else ""


def summary_nl(event: Parsed, vocabulary: Vocabulary | None = None) -> str:
    """One line: "Aanmelding · casus 23-4411 · Zuilen · melder: huisarts · 24-11-2026"."""
    vocab = vocabulary or load_vocabulary()
    parts = [vocab.kinds[event.kind].label]
    if event.case_ref:
        parts.append(f"casus {event.case_ref}")
    parts.append(event.team)
    parts += [f"{label}: {value}" if label else value for label, value in _details(event, vocab)]
    parts.append(_day(event))
    return " · ".join(parts)


def summary_lines_nl(event: Parsed, vocabulary: Vocabulary | None = None) -> list[str]:
    """The card body, one field a line; defaults say where they came from."""
    vocab = vocabulary or load_vocabulary()
    own_team = "" if "team" in event.stated else " (jouw team)"
    sent_day = "" if "occurred_on" in event.stated else " (dag van versturen)"
    lines = [f"*{vocab.kinds[event.kind].label}*"]
    if event.case_ref:
        lines.append(f"Casus: {event.case_ref}")
    lines += [f"Team: {event.team}{own_team}", f"Datum: {_day(event)}{sent_day}"]
    lines += [
        f"{label.capitalize()}: {value}" if label else value
        for label, value in _details(event, vocab)
    ]
    if "melder" in event.missing:
        lines.append("Melder: nog niet ingevuld")
    lines += [f"Let op: {note}." for note in event.notes]
    return lines
