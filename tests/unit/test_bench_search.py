"""bench/search.py runs end to end on a small catalogue and prints every figure it promises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.search import main

EXPECTED = {
    "offers",
    "cold_build_seconds",
    "cold_passages_per_second",
    "cache_fill_embedded",
    "warm_build_seconds",
    "update_offers",
    "update_passages_by_model",
    "update_seconds",
    "embedding_call_ms",
    "query_p50_ms",
    "query_p95_ms",
    "p50_over_embedding_call",
    "peak_rss_mb",
    "baseline_p50_ms",
    "baseline_p95_ms",
    "baseline_top3_agreement",
    "p50_over_baseline",
    "p95_over_baseline",
}


def test_small_run_prints_figures_and_rerun_hits_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--offers", "200", "--embedder", "hashing", "--queries", "5", "--samples", "6"]
    argv += ["--baseline-samples", "5", "--cold-offers", "20", "--cache-dir", str(tmp_path)]

    main(argv)
    first = json.loads(capsys.readouterr().out)
    main(argv)
    second = json.loads(capsys.readouterr().out)

    assert not EXPECTED - first.keys()
    assert first["offers"] == 200
    assert first["update_offers"] == 2  # 1% of 200
    assert first["cache_fill_embedded"] > 0
    assert second["cache_fill_embedded"] == 0  # every passage came from the cache
    # only the two edited offers reach the model (their whole text and the sentences that
    # changed; how many depends on the random edit), never the ~1,000 passages of the others
    assert 0 < second["update_passages_by_model"] <= 2 * 10
    assert first["baseline_top3_agreement"] == 1.0
