"""A draft's overall confidence: what was read and matched, lowered by each warning and each problem."""

from decimal import Decimal

from oms.services.order_entry_models import DraftLine
from oms.services.order_entry_resolution import overall_confidence


def _line(match_score: float, confidence: float) -> DraftLine:
    return DraftLine(sku="A", description="a", quantity=Decimal(1), unit_price=Decimal(1), match_score=match_score,
                     confidence=confidence)  # fmt: skip


def test_a_line_counts_by_the_lesser_of_its_reading_and_its_match_and_unread_fields_not_at_all():
    fields = {"document_number": 0.9, "requested_delivery_date": 0.0}
    assert overall_confidence(fields, [_line(1.0, 0.7)], [], []) == 0.8


def test_each_warning_lowers_it_and_a_problem_more():
    fields, lines = {"document_number": 0.9}, [_line(0.9, 0.9)]
    clean = overall_confidence(fields, lines, [], [])
    warned = overall_confidence(fields, lines, ["w"], [])
    refused = overall_confidence(fields, lines, [], [{"path": ["x"]}])
    assert clean > warned > refused > 0
    assert overall_confidence({}, [], [], []) == 0
