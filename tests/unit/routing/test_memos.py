"""Routing memoises quotes and explained criteria across orders; a memo never changes an answer."""

from oms.domain.routing import filters, rates, scoring
from oms.domain.routing.filters import eligible_routes
from oms.domain.routing.model import Criterion, NodeVerdict
from oms.domain.routing.profiles import Filters
from oms.domain.routing.rates import Lane
from oms.domain.routing.scoring import criterion
from tests.unit.routing.builders import FLAT, PARIS, card, node, order


def test_a_lane_quotes_a_weight_it_has_seen_as_it_did_and_stays_right_when_its_memo_fills(monkeypatch):
    lane = Lane((card("post", breaks=((2, 4.0), (10, 7.0))), card("dhl", breaks=((5, 5.0), (10, 6.0)))))
    monkeypatch.setattr(rates, "QUOTES_KEPT", 3)
    first = [lane.quote(w) for w in (1.0, 3.0, 8.0, 1.0, 12.0, 3.0)]
    assert [(q.carrier, q.cost) for q in first] == [
        ("post", 4.0), ("dhl", 5.0), ("dhl", 6.0), ("post", 4.0), ("dhl", 6.0), ("dhl", 5.0)
    ]  # fmt: skip
    assert len(lane._quotes) <= 3


def test_an_explained_criterion_keeps_the_type_and_sign_of_its_value_and_weight():
    shown = [
        criterion(v, w) for v, w in ((0, 1.0), (0.0, 1.0), (-0.0, 1.0), (2, 1.0), (2.0, 1.0), (3.0, -0.0))
    ]
    assert [repr(c) for c in shown] == [
        repr(Criterion(0, 0.0)), repr(Criterion(0.0, 0.0)), repr(Criterion(-0.0, -0.0)),
        repr(Criterion(2, 2.0)), repr(Criterion(2.0, 2.0)), repr(Criterion(3.0, -0.0)),
    ]  # fmt: skip
    assert criterion(1.23456, 2.0) == Criterion(1.2346, 2.4691)


def test_the_criteria_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(scoring, "CRITERIA_KEPT", 4)
    values = [criterion(float(v), 1.5) for v in range(10)]
    assert values[9] == Criterion(9.0, 13.5)
    assert len(scoring._criteria) <= 4


def test_a_rejection_is_remembered_as_it_was_given_and_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(filters, "REJECTIONS_KEPT", 2)
    full = [node(f"n{i}", remaining=0) for i in range(3)]
    for _ in range(2):
        routes, rejected = eligible_routes(order(), {"A"}, PARIS, full, Filters(), FLAT)
        assert routes == [] and rejected == [
            NodeVerdict(f"n{i}", filtered_by="require_capacity", reason="no daily capacity left")
            for i in range(3)
        ]
    assert len(filters._rejections) <= 2
    (route,), (rejected,) = eligible_routes(
        order(), {"A"}, PARIS, [node("n0"), node("n1", stock={})], Filters(), FLAT
    )
    assert route.node.id == "n0" and rejected == NodeVerdict("n1", filtered_by="no_stock",
                                                             reason="holds none of the order's SKUs")  # fmt: skip
