"""POST /channels/{id}/edi/x12: each purchase order captured or refused alone, the interchange stored once
as received, replays answered with the first answer, broken envelopes refused with nothing stored."""

import pytest
from sqlalchemy import text

from oms.services.actor import Role
from tests.channels.edi.samples import ALL, NEWLINE, PIPE_CARET, STAR_TILDE, TWO_GROUPS, post, replace, sample
from tests.factories import api_key

COUNTS = text(
    """
    SELECT (SELECT count(*) FROM inbound_payloads) AS payloads, (SELECT count(*) FROM orders) AS orders,
           (SELECT count(*) FROM channel_documents) AS documents, (SELECT count(*) FROM audit_events) AS events,
           (SELECT coalesce(sum(reserved), 0) FROM inventory) AS reserved
    """
)


def counts(engine) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(COUNTS).one()._mapping)


@pytest.mark.parametrize("name", ALL)
def test_each_sample_is_stored_as_received_and_its_orders_point_into_it(partner, engine, name):
    response = post(partner, sample(name))
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert not receipt["replayed"] and receipt["transaction_sets"]
    payload = partner.get(f"/api/v1/inbound-payloads/{receipt['payload_id']}").json()
    assert payload["body"].encode() == sample(name) and payload["source"] == "edi" and payload["topic"] == "850"
    assert payload["outcome"]["transaction_sets"] == receipt["transaction_sets"]
    captured = [s for s in receipt["transaction_sets"] if s["status"] == "captured"]
    assert payload["order_ids"] == sorted(s["order_id"] for s in captured)
    for outcome in captured:
        order = partner.get(f"/api/v1/orders/{outcome['order_id']}").json()
        assert (order["channel"], order["external_id"]) == ("b2b", outcome["purchase_order"])
        assert order["source"] == {"source": "edi", "payload_id": receipt["payload_id"],
                                   "reference": outcome["reference"]}  # fmt: skip
        assert all(line["external_line_id"] for line in order["lines"])


def test_products_named_by_gtin_are_captured_as_our_skus_and_a_store_code_as_a_pickup(partner):
    first, pickup = post(partner, sample(PIPE_CARET)).json()["transaction_sets"]
    order = partner.get(f"/api/v1/orders/{first['order_id']}").json()
    assert [(line["sku"], line["quantity"], line["external_line_id"]) for line in order["lines"]] == [
        ("TSH-BLU-M", 3, "10"), ("JKT-RED-M", 2, "20")]  # fmt: skip
    collected = partner.get(f"/api/v1/orders/{pickup['order_id']}").json()
    assert (collected["service_level"], collected["status"]) == ("pickup", "backordered")  # no stock at the store
    assert pickup["acknowledgement"] == "AC"


def test_a_replay_answers_the_first_answer_and_changes_nothing(partner, engine):
    first = post(partner, sample(TWO_GROUPS))
    before = counts(engine)
    again = post(partner, sample(TWO_GROUPS))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "replayed": True}
    assert counts(engine) == before


def test_a_purchase_order_that_cannot_be_captured_is_refused_alone(partner, engine):
    refused, captured = post(partner, sample(NEWLINE)).json()["transaction_sets"]
    assert (refused["status"], refused["order_id"], refused["acknowledgement"]) == ("refused", None, "RD")
    assert [(p["segment"], p["element"]) for p in refused["problems"]] == [("PO1", "PO107")]
    assert "HAT-GRN-S" in refused["problems"][0]["message"]
    assert (captured["status"], captured["acknowledgement"]) == ("captured", "AD")
    documents = partner.get("/api/v1/channels/b2b/documents", params={"kind": "edi_855"}).json()
    assert sorted(d["subject"] for d in documents) == sorted(
        [f"order:{captured['order_id']}", f"refusal:{counts(engine)['payloads']}:ST 0007"])
    assert counts(engine)["orders"] == 1


@pytest.mark.parametrize(
    ("old", "new", "pointer"),
    [("SE*19*0001", "SE*12*0001", "/segments/21/SE01"), ("IEA*1*000004711", "IEA*1*000004712", "/segments/23/IEA02"),
     ("CTT*2*10", "CTT*1*10", "/segments/20/CTT01"), ("GS*PO*", "GS*IN*", "/segments/2/GS01")],
)  # fmt: skip
def test_a_broken_envelope_is_refused_whole_and_nothing_is_stored(partner, engine, old, new, pointer):
    before = counts(engine)
    response = post(partner, replace(STAR_TILDE, old, new))
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]
    assert counts(engine) == before
    assert post(partner, sample(STAR_TILDE)).status_code == 201  # the control number was not used up


def test_an_interchange_from_another_sender_than_the_partner_is_refused(partner, engine):
    admin = api_key(engine, Role.ADMIN)
    settings = {"partner_qualifier": "ZZ", "partner_id": "PRINTEMPS", "our_qualifier": "ZZ", "our_id": "OMSRETAIL"}
    partner.put("/api/v1/channels/b2b/integration", headers=admin, json={"adapter": "edi", "settings": settings})
    before = counts(engine)
    response = post(partner, sample(STAR_TILDE))
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/segments/1/ISA06"
    assert counts(engine) == before


def test_who_may_post_and_in_which_content_type(partner, engine):
    assert post(partner, sample(STAR_TILDE), channel="web").status_code == 404  # no EDI integration there
    other = api_key(engine, Role.CHANNEL, "web")
    assert post(partner, sample(STAR_TILDE), headers=other).status_code == 403
    viewer = api_key(engine, Role.VIEWER)
    assert post(partner, sample(STAR_TILDE), headers=viewer).status_code == 403
    json = partner.post("/api/v1/channels/b2b/edi/x12", content=sample(STAR_TILDE),
                        headers={"Content-Type": "application/json"})  # fmt: skip
    assert json.status_code == 415
    assert counts(engine)["payloads"] == 0
    own = api_key(engine, Role.CHANNEL, "b2b")
    plain = post(partner, sample(STAR_TILDE), headers={**own, "Content-Type": "text/plain; charset=utf-8"})
    assert plain.status_code == 201
    assert partner.get(f"/api/v1/inbound-payloads/{plain.json()['payload_id']}").json()["content_type"] == "text/plain"


def test_a_purchase_order_number_captured_before_with_other_content_is_refused(partner):
    assert post(partner, sample(STAR_TILDE)).status_code == 201
    changed = replace(STAR_TILDE, "000004711", "000004712", 2).replace(b"*6*EA*11.50", b"*5*EA*11.50")
    outcome = post(partner, changed.replace(b"CTT*2*10", b"CTT*2*9")).json()["transaction_sets"][0]
    assert outcome["status"] == "refused" and "captured before" in outcome["problems"][0]["message"]
    same = replace(STAR_TILDE, "000004711", "000004713", 2)  # the same PO in another interchange
    assert post(partner, same).json()["transaction_sets"][0]["status"] == "duplicate"


def test_the_partners_settings_are_checked_when_saved(partner, engine):
    admin = api_key(engine, Role.ADMIN)

    def refusal(settings: dict) -> set[str]:
        body = {"adapter": "edi", "settings": settings}
        response = partner.put("/api/v1/channels/b2b/integration", headers=admin, json=body)
        assert response.status_code == 422
        return {e["pointer"] for e in response.json()["errors"]}

    assert refusal({"separators": {"element": "*", "segment": "*"}, "units": ["EA", ""]}) == {
        "/settings/separators", "/settings/units/1"}  # fmt: skip
    assert refusal({"partner_id": "GALERIES"}) == {"/settings"}  # its qualifier goes with it
    assert refusal({"stores": {"PAR01": "ST-PARIS"}, "service_levels": {"ND": "overnight"}}) == {
        "/settings/service_levels/ND"}  # fmt: skip
    assert partner.get("/api/v1/channels/b2b/integration").json()["settings"]["stores"] == {"PAR01": "ST-PARIS"}


def test_the_openapi_document_says_what_the_intake_takes_and_answers(partner):
    operation = partner.get("/openapi.json").json()["paths"]["/api/v1/channels/{channel_id}/edi/x12"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/edi-x12", "text/plain"}
    assert {"200", "201", "415", "422"} <= set(operation["responses"])
    assert operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/InterchangeReceipt")


def test_another_interchange_under_a_control_number_received_before_is_refused_not_answered_as_the_first(
    partner, engine
):
    first = post(partner, sample(STAR_TILDE))
    before = counts(engine)
    other = post(partner, replace(STAR_TILDE, "BEG*00*SA*4500012345", "BEG*00*SA*4500012399"))  # same ISA13
    assert other.status_code == 409 and other.headers["content-type"] == "application/problem+json"
    assert [e["pointer"] for e in other.json()["errors"]] == ["/segments/1/ISA13"]
    assert counts(engine) == before
    again = post(partner, sample(STAR_TILDE).replace(b"~\r\n", b"~\n"))  # the same segments, other line ends
    assert (again.status_code, again.json()) == (200, {**first.json(), "replayed": True})


def test_a_body_over_the_limit_is_refused_before_it_is_read_whole(partner, engine, monkeypatch):
    body = sample(STAR_TILDE)
    monkeypatch.setattr("oms.api.routes.edi.MAX_PAYLOAD_BYTES", len(body) - 1)
    declared = post(partner, body)
    streamed = post(partner, iter([body[:100], body[100:]]))  # chunked: no length declared
    for response in (declared, streamed):
        assert response.status_code == 413 and response.headers["content-type"] == "application/problem+json"
    assert counts(engine)["payloads"] == 0


def test_a_control_character_in_the_data_refuses_the_interchange_before_anything_is_stored(partner, engine):
    """X12 data is printable; a NUL cannot even be stored in PostgreSQL text, and once the interchange was
    kept it failed capture at every retry."""
    response = post(partner, replace(STAR_TILDE, "N1*ST*Galeries", "N1*ST*Gal\x00eries"))
    assert response.status_code == 422 and [e["pointer"] for e in response.json()["errors"]] == ["/segments/12/N102"]
    assert counts(engine)["payloads"] == 0
    delimiters = replace(STAR_TILDE, "~", "\x1c", 30).replace(b"*", b"\x1d")  # control characters as delimiters
    assert post(partner, delimiters).status_code == 201
