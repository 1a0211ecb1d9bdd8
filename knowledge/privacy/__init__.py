"""De-identification of generalists' questions before any expert sees them.

Client data is special-category personal data (AVG art. 9), so every question passes through
``Deidentifier.deidentify`` first. The result keeps the original offsets so the asker can be
shown what was removed; only ``Deidentified.text`` and the per-kind counts may be stored.
"""

from __future__ import annotations

from knowledge.privacy.deidentifier import Deidentifier
from knowledge.privacy.keep import KeepList
from knowledge.privacy.model import KINDS, Deidentified, RemovedSpan, removed_phrase

__all__ = ["KINDS", "Deidentified", "Deidentifier", "KeepList", "RemovedSpan", "removed_phrase"]
