"""The 855s and 856s a partner is owed: queued once, saying what the order and each shipment say,
with the channel's own control numbers, and readable by our own parser."""

from sqlalchemy import text

from oms.channels.edi.envelope import read_interchange
from oms.services.channel_edi_documents import send_ship_notices
from tests.channels.edi.samples import PIPE_CARET, STAR_TILDE, post, sample
from tests.factories import order_body, set_stock
from tests.fulfilment_factories import event, release, send, shipped


def documents(client, kind: str) -> list[tuple[dict, list]]:
    """The channel's documents of `kind`, each with its segments read back (no envelope problem)."""
    found = []
    for document in client.get("/api/v1/channels/b2b/documents", params={"kind": kind}).json():
        interchange = read_interchange(client.get(f"/api/v1/channels/b2b/documents/{document['id']}").content)
        assert interchange.problems == []
        found.append((document, [s for group in interchange.groups for t in group.sets for s in t.segments]))
    return found


def elements(segments, tag: str) -> list[list[str]]:
    return [list(s.elements) for s in segments if s.tag == tag]


def test_the_855_reflects_the_allocation_unit_by_unit(partner, engine):
    set_stock(engine, "WH-LYON", "JKT-RED-M", 1)  # 4 ordered: 1 reserved, 3 backordered
    outcome = post(partner, sample(STAR_TILDE)).json()["transaction_sets"][0]
    assert (outcome["order_status"], outcome["acknowledgement"]) == ("partially_allocated", "AC")
    ((document, segments),) = documents(partner, "edi_855")
    assert (document["subject"], document["order_id"]) == (f"order:{outcome['order_id']}", outcome["order_id"])
    order = partner.get(f"/api/v1/orders/{outcome['order_id']}").json()
    ship = order["promised_ship_date"].replace("-", "")
    assert elements(segments, "BAK")[0][1:3] == ["AC", "4500012345"] and elements(segments, "BAK")[0][7] == str(
        order["id"])  # fmt: skip
    assert elements(segments, "ACK") == [["IA", "6", "EA", "068", ship], ["IA", "1", "EA", "068", ship],
                                         ["IB", "3", "EA"]]  # fmt: skip


def test_each_shipment_gets_one_856_and_the_order_is_forgotten_once_all_shipped(partner, engine):
    outcome, waiting = post(partner, sample(PIPE_CARET)).json()["transaction_sets"]
    order = partner.get(f"/api/v1/orders/{outcome['order_id']}").json()
    (fulfilment,) = release(partner, order)
    first = event(fulfilment["id"], "shipped", 60, carrier="DHL", lines=[{"sku": "TSH-BLU-M", "quantity": 2}],
                  tracking_number="JJD01", parcels=[{"tracking_number": "JJD01", "weight_kg": 0.4}])  # fmt: skip
    assert send(partner, first).status_code == 201
    assert send_ship_notices(engine) == 1 and send_ship_notices(engine) == 0
    parcels = [{"tracking_number": "JJD02", "weight_kg": 1.0}, {"tracking_number": "JJD03", "weight_kg": 0.2}]
    rest = event(fulfilment["id"], "shipped", 90, carrier="DHL", tracking_number="JJD02", parcels=parcels)
    assert send(partner, rest).status_code == 201
    assert send_ship_notices(engine) == 1 and send_ship_notices(engine) == 0
    with engine.connect() as conn:  # the order has shipped whole; the other still waits for stock
        assert conn.execute(text("SELECT order_id FROM edi_open_orders")).scalars().all() == [waiting["order_id"]]
    notices = documents(partner, "edi_856")
    assert [d["subject"] for d, _ in notices] == ["shipment:1", "shipment:2"]
    (_, early), (_, late) = notices
    assert elements(early, "SN1") == [["", "2", "EA"]] and elements(early, "LIN")[0][:3] == ["10", "VP", "TSH-BLU-M"]
    assert elements(late, "SN1") == [["", "1", "EA"], ["", "2", "EA"]]
    assert elements(late, "REF") == [["CN", "JJD02"], ["CN", "JJD03"]] and elements(late, "TD1")[0][1] == "2"
    assert elements(late, "PRF")[0][0] == "KD-2026-88121"
    assert [d["order_id"] for d, _ in notices] == [order["id"], order["id"]]


def test_control_numbers_are_the_channels_own_and_follow_each_other(partner, engine):
    post(partner, sample(PIPE_CARET))  # two 855s
    post(partner, sample(STAR_TILDE))  # one more
    numbers = []
    for document in partner.get("/api/v1/channels/b2b/documents").json():
        interchange = read_interchange(partner.get(f"/api/v1/channels/b2b/documents/{document['id']}").content)
        numbers.append((interchange.control_number, interchange.groups[0].header[6],
                        interchange.groups[0].sets[0].control_number))  # fmt: skip
    assert numbers == [("000000001", "1", "0001"), ("000000002", "2", "0002"), ("000000003", "3", "0003")]


def test_shipments_of_orders_not_captured_from_an_850_owe_no_856(partner, engine):
    web = partner.post("/api/v1/orders", json=order_body("WEB-EDI-1", lines=[("TSH-BLU-L", 1)])).json()
    (fulfilment,) = release(partner, web)
    assert send(partner, shipped(fulfilment["id"])).status_code == 201
    assert send_ship_notices(engine) == 0 and documents(partner, "edi_856") == []


def test_a_line_added_after_the_850_ships_in_the_856_as_an_item_the_buyer_did_not_number(partner, engine):
    outcome, _ = post(partner, sample(PIPE_CARET)).json()["transaction_sets"]
    added = {"add_lines": [{"sku": "TSH-BLU-L", "quantity": 1, "unit_price": "9.90"}]}
    edited = partner.patch(f"/api/v1/orders/{outcome['order_id']}", json=added)
    assert edited.status_code == 200, edited.text
    (fulfilment,) = release(partner, edited.json())
    assert send(partner, shipped(fulfilment["id"])).status_code == 201
    assert send_ship_notices(engine) == 1
    ((_, segments),) = documents(partner, "edi_856")
    assert [lin[:3] for lin in elements(segments, "LIN")] == [
        ["10", "VP", "TSH-BLU-M"], ["20", "VP", "JKT-RED-M"], ["", "VP", "TSH-BLU-L"]]  # fmt: skip
    assert elements(segments, "SN1") == [["", "3", "EA"], ["", "2", "EA"], ["", "1", "EA"]]
