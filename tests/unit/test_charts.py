"""The console's server-side SVG charts (oms.web.charts), without a database."""

import re

import pytest

from oms.web.charts import Series, bar_chart, line_chart, nice_ticks


def rect_heights(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r'<rect [^>]*height="([0-9.]+)" fill', svg) if float(h) != 12]


@pytest.mark.parametrize(("maximum", "ticks"), [
    (7, [0, 2, 4, 6, 8]), (100, [0, 50, 100]), (131, [0, 50, 100, 150]), (0.3, [0, 0.1, 0.2, 0.3]),
    (1, [0, 0.5, 1]), (0, [0, 1]),
])  # fmt: skip
def test_ticks_are_round_numbers_from_zero_reaching_the_maximum(maximum, ticks):
    assert nice_ticks(maximum) == ticks


def test_counts_are_never_ticked_in_fractions():
    assert nice_ticks(2, whole=True) == [0, 1, 2]
    assert nice_ticks(7, whole=True) == [0, 2, 4, 6, 8]


def test_bar_heights_are_proportional_to_the_values_and_stack_per_category():
    svg = bar_chart("c", "Orders", "per day", ["03-01", "03-02"], [Series("web", [30, 10]), Series("shop", [10, None])])
    web_1, shop_1, web_2 = rect_heights(svg)
    assert web_1 == pytest.approx(3 * web_2) and web_1 == pytest.approx(3 * shop_1)
    assert svg.count("<rect") == 3 + 2  # three bars (no empty one), two legend keys
    assert "<title>03-01 · web: 30</title>" in svg


def test_the_svg_is_announced_as_an_image_with_its_title_and_description():
    svg = bar_chart("orders", "Orders per day", "Stacked by channel", ["d"], [Series("web", [1])])
    assert 'role="img" aria-labelledby="orders-title" aria-describedby="orders-desc"' in svg
    assert '<title id="orders-title">Orders per day</title><desc id="orders-desc">Stacked by channel</desc>' in svg


@pytest.mark.parametrize("chart", [bar_chart, line_chart])
def test_no_data_draws_an_empty_state_instead_of_axes(chart):
    for series in ([], [Series("web", [None, 0 if chart is bar_chart else None])]):
        html = chart("c", "Lead time", "d", ["a", "b"], series)
        assert "<svg" not in html and "nothing to draw" in html


def test_labels_are_escaped():
    evil = '<script>alert("x")</script>'
    for chart in (bar_chart, line_chart):
        svg = chart("c", evil, evil, [evil], [Series(evil, [2])])
        assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_a_line_breaks_where_a_value_is_missing_and_each_series_has_its_own_dash():
    svg = line_chart("c", "Lead", "d", ["1", "2", "3", "4"], [Series("p50", [1, None, 3, 4]), Series("p90", [2, 4, 6, 8])])
    lines = re.findall(r'<polyline points="([^"]+)"[^>]*stroke="([^"]+)"', svg)
    assert [len(points.split()) for points, _ in lines] == [1, 2, 4]
    assert lines[0][1] == lines[1][1] != lines[2][1]
    assert svg.count('stroke-dasharray="6 4"') == 2  # the p90 line and its legend key
    assert svg.count("<circle") == 3 + 4
