"""A document's lines and buyer resolved against the real catalogue and customers (pgvector)."""

from decimal import Decimal

import pytest
from sqlalchemy import insert, text

from oms.channels.documents.model import ExtractedDocument, ExtractedLine, Party
from oms.db.tables import customers
from oms.services.catalog import ProductUpsert, upsert_products
from oms.services.order_capture import capture_order
from oms.services.order_entry import learn_part_numbers
from oms.services.order_entry_embeddings import refresh_embeddings
from oms.services.order_entry_resolution import resolve_document
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, add_network, order_body, set_stock

SOCKS = [
    ("SCK-MER-M", "Merino Hiking Socks", "Cushioned merino wool socks for long walks."),
    ("SCK-COT-M", "Cotton Everyday Socks", "Plain cotton socks, pack of three."),
    ("HAT-WOL-OS", "Wool Beanie", "Ribbed wool hat that keeps ears warm."),
]


@pytest.fixture
def catalogue(engine):
    """The factories' products (inserted without vectors) and three written through the catalogue."""
    add_network(engine)
    items = [ProductUpsert(sku=sku, name=name, description=blurb, unit_price=Decimal("12.50"), currency="EUR")
             for sku, name, blurb in SOCKS]  # fmt: skip
    upsert_products(UnitOfWork(engine), ADMIN, items)
    with engine.begin() as conn:
        conn.execute(insert(customers), [{"email": "buyer@alpine-sports.example", "name": "Alpine Sports GmbH"},
                                         {"email": "orders@rivage.example", "name": "Rivage Outdoor SARL"}])  # fmt: skip
    return engine


def _resolve(engine, lines: list[ExtractedLine], **fields):
    document = ExtractedDocument(document_type="purchase_order", lines=lines, **fields)
    with engine.connect() as conn:
        draft = resolve_document(conn, document)
        conn.commit()
    return draft


def _line(code=None, description="", quantity="2", unit_price="19.90", **fields) -> ExtractedLine:
    price = Decimal(unit_price) if unit_price else None
    return ExtractedLine(code=code, description=description, quantity=Decimal(quantity), unit_price=price,
                         confidence=0.9, **fields)  # fmt: skip


def test_a_printed_sku_of_any_case_and_a_barcode_with_spaces_or_padding_resolve_exactly(catalogue):
    lines = [_line("tsh-blu-l"), _line("3700000 000020"), _line("03700000000037")]
    draft = _resolve(catalogue, lines)
    assert [(line.sku, line.match_method, line.match_score) for line in draft.lines] == [
        ("TSH-BLU-L", "sku", 1.0), ("TSH-BLU-M", "barcode", 1.0), ("JKT-RED-M", "barcode", 1.0)]


def test_similarity_picks_the_right_product_among_close_ones_with_its_score(catalogue):
    draft = _resolve(catalogue, [_line(description="Merino hiking socks size M"),
                                 _line(description="Cotton everyday socks")])  # fmt: skip
    merino, cotton = draft.lines
    assert (merino.sku, merino.match_method, cotton.sku) == ("SCK-MER-M", "similarity", "SCK-COT-M")
    assert 0.6 <= merino.match_score < 1 and merino.candidates[0].sku == "SCK-MER-M"
    assert merino.candidates[0].score > merino.candidates[1].score


def test_a_description_like_nothing_leaves_the_sku_to_staff_with_candidates_and_a_warning(catalogue):
    draft = _resolve(catalogue, [_line(description="Espresso machine descaler")])
    [line] = draft.lines
    assert line.sku is None and line.match_score == 0 and len(line.candidates) == 3
    assert any(w.startswith("line 1: no catalogue product matches 'Espresso machine descaler'") for w in draft.warnings)


def test_a_customer_part_number_resolves_only_once_learned_from_a_submitted_draft(catalogue):
    buyer = Party(name="Alpine Sports GmbH", email="Buyer@Alpine-Sports.example")
    before = _resolve(catalogue, [_line("AS-4711", "Item AS-4711")], buyer=buyer)
    assert before.lines[0].sku is None and before.customer.match_score == 1.0
    with catalogue.begin() as conn:
        assert learn_part_numbers(conn, before.customer.id, None, [("AS-4711", "JKT-RED-M"),
                                                                   ("3700000000013", "TSH-BLU-L")]) == 1  # fmt: skip
    after = _resolve(catalogue, [_line("as-4711", "Item AS-4711")], buyer=buyer)
    assert (after.lines[0].sku, after.lines[0].match_method, after.lines[0].match_score) == (
        "JKT-RED-M", "customer_part", 1.0)
    other = _resolve(catalogue, [_line("AS-4711", "Item AS-4711")], buyer=Party(name="Rivage Outdoor SARL"))
    assert other.customer.email == "orders@rivage.example" and other.lines[0].sku is None


def test_the_customer_is_found_by_name_when_no_email_is_printed_and_unknown_buyers_stay_unmatched(catalogue):
    known = _resolve(catalogue, [], buyer=Party(name="ALPINE SPORTS GMBH"))
    assert (known.customer.id, known.customer.email, known.customer.match_score) == (
        1, "buyer@alpine-sports.example", 1.0)
    unknown = _resolve(catalogue, [], buyer=Party(name="Brasserie du Port", email="chef@port.example"))
    assert (unknown.customer.id, unknown.customer.name, unknown.customer.match_score) == (
        None, "Brasserie du Port", 0.0)
    assert unknown.customer.email == "chef@port.example"


def test_gaps_are_filled_from_the_catalogue_and_the_bill_to_address_each_with_a_warning(catalogue):
    bill_to = Party(name="Alpine Sports", line1="Hauptstr. 1", postal_code="80331", city="München", country="DE")
    draft = _resolve(catalogue, [_line("JKT-RED-M", quantity="1.5", unit_price=None)], bill_to=bill_to)
    [line] = draft.lines
    assert (line.unit_price, draft.currency, draft.ship_to.city) == (Decimal("89.00"), "EUR", "München")
    assert draft.warnings == [
        "no ship-to address printed; the bill-to address is used",
        "no currency printed; EUR, the matched products' currency, is assumed",
        "line 1: quantity 1.5 is not a whole number",
        "line 1: no unit price printed; the catalogue's 89.00 EUR is used",
    ]


def test_warnings_lower_the_confidence(catalogue):
    clean = _resolve(catalogue, [_line("TSH-BLU-L")], currency="EUR", field_confidence={"document_number": 0.9},
                     ship_to=Party(name="A", line1="B", postal_code="1", city="C", country="FR"))  # fmt: skip
    doubtful = _resolve(catalogue, [_line("TSH-BLU-L", unit_price=None)], field_confidence={"document_number": 0.9})
    assert 0 < doubtful.confidence < clean.confidence <= 1


def test_catalogue_writes_keep_vectors_current_and_out_of_the_audit_trail(catalogue):
    changed = ProductUpsert(sku="HAT-WOL-OS", name="Wool Beanie Navy", description="", unit_price=Decimal(9),
                            currency="EUR")  # fmt: skip
    with catalogue.connect() as conn:
        old = conn.execute(text("SELECT embedding::text FROM products WHERE sku = 'HAT-WOL-OS'")).scalar()
    upsert_products(UnitOfWork(catalogue), ADMIN, [changed])
    with catalogue.connect() as conn:
        new = conn.execute(text("SELECT embedding::text FROM products WHERE sku = 'HAT-WOL-OS'")).scalar()
        audited = conn.execute(text("SELECT after::text FROM audit_events WHERE entity_id = 'HAT-WOL-OS' "
                                    "ORDER BY id DESC LIMIT 1")).scalar()  # fmt: skip
    assert old is not None and new is not None and new != old
    assert "embedding" not in audited


def test_vectors_missing_from_rows_written_by_sql_are_filled_in_bounded_batches(engine):
    add_network(engine)  # three products, no vectors
    with engine.begin() as conn:
        conn.execute(insert(customers), [{"email": f"c{i}@example.com", "name": f"Customer {i}"} for i in range(3)])
        assert refresh_embeddings(conn, limit=2) == 4
        assert refresh_embeddings(conn, limit=2) == 2
        assert refresh_embeddings(conn) == 0


def test_a_customer_first_captured_through_an_order_is_recognised_by_name(catalogue):
    body = order_body(customer={"name": "Bergsport Huber KG", "email": "einkauf@huber.example"})
    set_stock(catalogue, "WH-LYON", "TSH-BLU-L", 5)
    capture_order(UnitOfWork(catalogue), ADMIN, OrderCreate.model_validate(body))
    draft = _resolve(catalogue, [], buyer=Party(name="Bergsport Huber KG"))
    assert (draft.customer.email, draft.customer.match_score) == ("einkauf@huber.example", 1.0)


def test_two_customers_of_the_same_name_leave_the_choice_to_staff(catalogue):
    with catalogue.begin() as conn:
        conn.execute(insert(customers), [{"email": "camille@one.example", "name": "Camille Martin"},
                                         {"email": "camille@two.example", "name": "Camille Martin"}])  # fmt: skip
    draft = _resolve(catalogue, [], buyer=Party(name="Camille Martin"))
    assert (draft.customer.id, draft.customer.name, draft.customer.match_score) == (None, "Camille Martin", 0.0)


def test_a_line_printing_the_customers_code_beside_ours_resolves_by_ours_and_teaches_nothing_yet(catalogue):
    buyer = Party(name="Alpine Sports GmbH", email="buyer@alpine-sports.example")
    both = _resolve(catalogue, [_line("TSH-BLU-M", "Tee", customer_part_number="AS-0815")], buyer=buyer)
    [line] = both.lines
    assert (line.sku, line.match_method, line.customer_part_number) == ("TSH-BLU-M", "sku", "AS-0815")
    theirs_only = _resolve(catalogue, [_line(None, "AS-0815")], buyer=buyer)
    assert theirs_only.lines[0].sku is None


def test_a_customer_recognised_by_name_but_printing_another_email_is_flagged(catalogue):
    buyer = Party(name="Alpine Sports GmbH", email="new.buyer@alpine.example")
    draft = _resolve(catalogue, [], buyer=buyer, currency="EUR")
    assert (draft.customer.id, draft.customer.email) == (1, "buyer@alpine-sports.example")
    flagged = "customer recognised by name: the document prints new.buyer@alpine.example, the customer's is"
    assert draft.warnings == [f"{flagged} buyer@alpine-sports.example", "no address printed to ship to"]


def test_a_catalogue_price_in_another_currency_than_the_documents_says_so(catalogue):
    draft = _resolve(catalogue, [_line("JKT-RED-M", unit_price=None)], currency="CHF")
    assert draft.warnings[-1] == "line 1: no unit price printed; the catalogue's 89.00 EUR, not CHF, is used"
