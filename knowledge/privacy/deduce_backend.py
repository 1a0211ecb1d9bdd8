"""The deduce library as one more detector, loaded once per process and only when first used.

deduce is built for medical records; here it contributes what it does well (person names from
its Dutch name lists, streets from its street list) and its other findings are filtered:
institutions, place names without a number, ages and generic ids are what routing needs.
deduce's lookup tries are held in the leaner shape of ``deduce_lean`` (about 0.2 GB instead of
1 GB resident, the same findings). Importing deduce configures the root logger (DEBUG to
stdout); we undo that so no library ever gets the chance to echo client text into our logs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

from knowledge.privacy.addresses import is_quantity
from knowledge.privacy.model import Hit
from knowledge.privacy.names import tidy_found_name
from knowledge.privacy.patterns import is_birth_date

log = logging.getLogger(__name__)

_lock = threading.Lock()
_instance: Any = None

# deduce tag -> our kind. Not listed, on purpose: zorginstelling, ziekenhuis, leeftijd, id, url
# (routing needs them) and bsn (ours is the same eleven-test, but knows order numbers).
# Our resolver merges adjacent names itself, without swallowing the "." in "met Wim. Wim is".
_SKIPPED = {"redactor", "merge_adjacent_annotations"}
_TAGS = {
    "persoon": "persoon",
    "patient": "persoon",
    "telefoonnummer": "telefoon",
    "emailadres": "email",
}


def _import_deduce() -> Any:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import deduce  # heavy, and only needed when switched on
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return deduce


def _load_deduce() -> Any:
    deduce = _import_deduce()
    from knowledge.privacy import deduce_lean

    structs = deduce_lean.lean_lookup_structs()
    if structs is None:  # no lean cache could be written: deduce as is (about 1 GB)
        return deduce.Deduce()
    return deduce_lean.lean_deduce(structs)


def shared_deduce() -> Any:
    """The process-wide ``deduce.Deduce``; the first call pays the load (seconds with the lean
    cache on disk, a minute or more when deduce's and then the lean one have to be built)."""
    global _instance
    with _lock:
        if _instance is None:
            started = time.perf_counter()
            _instance = _load_deduce()
            log.info("deduce loaded in %.1f s", time.perf_counter() - started)
        return _instance


def deduce_hits(text: str, max_birth_year: int) -> Iterator[Hit]:
    document = shared_deduce().deidentify(text, disabled=_SKIPPED)
    for annotation in document.annotations:
        start, end, tag = annotation.start_char, annotation.end_char, annotation.tag
        if tag in _TAGS:
            if _TAGS[tag] == "persoon":
                if (tidied := tidy_found_name(text, start, end)) is None:
                    continue
                start, end = tidied
            yield Hit(start, end, _TAGS[tag])
        elif tag == "locatie" and any(c.isdigit() for c in annotation.text):
            # Street plus number; a bare postcode is found by our own detector as well. A
            # number that counts something ("de kade 3 keer") is no house number.
            if not is_quantity(text, end):
                yield Hit(start, end, "adres")
        elif tag == "datum" and is_birth_date(text, start, end, max_birth_year):
            yield Hit(start, end, "geboortedatum")
