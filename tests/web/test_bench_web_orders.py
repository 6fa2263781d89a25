"""The orders-list benchmark (evals/perf/bench_web_orders.py) runs end to end on a tiny history."""

from evals.perf.bench_web_orders import run


def test_the_benchmark_measures_every_kind_of_search_and_prints_its_figures(engine, capsys):
    figures = run(engine, orders=200, rounds=1)
    printed = capsys.readouterr().out
    assert 0 < figures["p50"] <= figures["p95"] <= figures["p99"] <= figures["max"]
    for kind in ("first page", "busiest node", "customer name", "late", "at risk", "created dates"):
        assert f"  {kind} " in printed
    assert "p99 < 300 ms" in printed
