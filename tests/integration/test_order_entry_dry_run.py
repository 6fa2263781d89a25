"""A draft checked by capture's own checks, without writing anything."""

from decimal import Decimal

import pytest
from sqlalchemy import text

from oms.services.errors import ValidationFailed
from oms.services.order_capture import capture_order, check_capture
from oms.services.order_entry import draft_command, draft_problems
from oms.services.order_entry_models import DraftAddress, DraftContent, DraftCustomer, DraftLine
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, add_network, order_body, set_stock

COUNTED = ("orders", "order_lines", "customers", "audit_events", "inbound_payloads", "order_drafts")


def _draft(**changes) -> DraftContent:
    lines = [DraftLine(sku="TSH-BLU-L", description="Tee", quantity=Decimal(2), unit_price=Decimal("19.90"),
                       match_score=1.0),
             DraftLine(sku="NOPE-1", description="Mystery", quantity=Decimal(1), unit_price=Decimal(5),
                       match_score=0.7)]  # fmt: skip
    fields = {"document_type": "purchase_order", "document_number": "PO-77", "document_date": None,
              "customer": DraftCustomer(name="Alpine Sports", email="buyer@alpine.example"), "currency": "EUR",
              "ship_to": DraftAddress(name="Alpine Sports", line1="Hauptstr. 1", postal_code="80331",
                                      city="München", country="DE"),
              "requested_delivery_date": None, "lines": lines, "total": None, "confidence": 0.9}  # fmt: skip
    return DraftContent(**fields | changes)


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in COUNTED}


@pytest.fixture
def network(engine):
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 10)
    return engine


def test_the_dry_run_reports_an_unknown_sku_and_channel_in_draft_terms_and_writes_nothing(network):
    before = _counts(network)
    with network.connect() as conn:
        problems = draft_problems(conn, _draft(), "fax")
    assert problems == [
        {"path": ["channel"], "message": "unknown channel 'fax'", "code": "unknown_channel"},
        {"path": ["lines", 1, "sku"], "message": "unknown or inactive SKU 'NOPE-1'", "code": "unknown_sku"},
    ]
    assert _counts(network) == before


def test_an_incomplete_draft_is_refused_field_by_field_and_still_checked_against_the_catalogue(network):
    draft = _draft(document_number=None, customer=DraftCustomer(name="Alpine Sports"),
                   ship_to=DraftAddress(name="Alpine Sports"))  # fmt: skip
    with network.connect() as conn:
        problems = draft_problems(conn, draft, "web")
    paths = {tuple(problem["path"]): problem["code"] for problem in problems}
    assert paths == {("document_number",): "missing", ("customer", "email"): "missing",
                     ("ship_to", "line1"): "missing", ("ship_to", "postal_code"): "missing",
                     ("ship_to", "city"): "missing", ("ship_to", "country"): "missing",
                     ("lines", 1, "sku"): "unknown_sku"}  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        draft_command(draft, "web")
    assert ("document_number",) in {error.path for error in refused.value.errors}


def test_a_whole_draft_is_the_command_capture_takes_and_a_captured_one_is_flagged(network):
    draft = _draft(lines=_draft().lines[:1], requested_delivery_date=None)
    cmd = draft_command(draft, "web")
    assert (cmd.external_id, cmd.lines[0].quantity, cmd.customer.email) == ("PO-77", 2, "buyer@alpine.example")
    with network.connect() as conn:
        assert draft_problems(conn, draft, "web") == [] and check_capture(conn, cmd) == []
    capture_order(UnitOfWork(network), ADMIN, cmd)
    with network.connect() as conn:
        [problem] = draft_problems(conn, draft, "web")
    assert (problem["path"], problem["code"]) == (["document_number"], "already_captured")


def test_a_fractional_quantity_cannot_become_an_order_line(network):
    line = _draft().lines[0].model_copy(update={"quantity": Decimal("1.5")})
    with network.connect() as conn:
        [problem] = draft_problems(conn, _draft(lines=[line]), None)
    assert problem["path"] == ["lines", 0, "quantity"] and problem["code"] != "missing"


def test_check_capture_agrees_with_capture_on_a_valid_order(network):
    cmd = OrderCreate.model_validate(order_body())
    with network.connect() as conn:
        assert check_capture(conn, cmd) == []


def test_a_product_ordered_on_two_lines_is_a_problem_to_merge(network):
    tee = _draft().lines[0]
    with network.connect() as conn:
        [problem] = draft_problems(conn, _draft(lines=[tee, tee]), "web")
    assert problem == {"path": ["lines"], "message": "lines[1] repeats SKU 'TSH-BLU-L' of lines[0]",
                       "code": "value_error"}
