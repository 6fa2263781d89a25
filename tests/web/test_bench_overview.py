"""The overview benchmark (evals/perf/bench_overview.py) runs end to end on a tiny history."""

from evals.perf.bench_overview import run


def test_the_benchmark_measures_the_page_and_the_api_over_both_periods_and_prints_its_figures(engine, capsys):
    figures = run(engine, orders=200, rounds=1)
    printed = capsys.readouterr().out
    assert 0 < figures["p50"] <= figures["p95"] <= figures["p99"] <= figures["max"]
    for kind in ("page, 14 days", "page, 92 days, one channel", "API, 14 days", "API, 92 days"):
        assert f"  {kind} " in printed
    assert printed.startswith("overview, ") and "p99 < 500 ms" in printed
