"""The overview benchmark (evals/perf/bench_overview.py) runs end to end on a tiny history."""

from sqlalchemy import text

from evals.perf.bench_overview import run


def test_the_benchmark_measures_the_page_and_the_api_over_both_periods_and_prints_its_figures(engine, capsys):
    figures = run(engine, orders=200, rounds=1)
    printed = capsys.readouterr().out
    assert 0 < figures["p50"] <= figures["p95"] <= figures["p99"] <= figures["max"]
    for kind in ("page, 14 days", "page, 92 days, one channel", "API, 14 days", "API, 92 days"):
        assert f"  {kind} " in printed
    assert printed.startswith("overview, ") and "p99 < 500 ms" in printed
    with engine.connect() as conn:  # the captures carry their lines, as a live capture logs them
        bare = conn.execute(text("SELECT count(*) FROM audit_events WHERE action = 'order.created' AND after -> 'lines' IS NULL"))
        assert bare.scalar_one() == 0
        guard = conn.execute(text("SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_events_append_only'"))
        assert guard.scalar_one() == "O"  # and the trail is append-only again
