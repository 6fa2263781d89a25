import pytest
from sqlalchemy import func, select

from oms.db.tables import audit_events, rate_tables
from oms.domain.routing.rates import Quote
from oms.services.actor import Role
from oms.services.rate_table_data import RateTableData, to_rate_table
from tests.factories import api_key

URL = "/api/v1/routing/rates"
CSV = """carrier,service,origin_country,dest_country,max_distance_km,max_weight_kg,price,base_fee,per_kg_over
post,standard,,FR,,5,4.90,1.00,
post,standard,,FR,,2,3.90,1.00,
dhl,express,DE,FR,800,10,12.00,,0.8
"""
RATES = {
    "cards": [
        {
            "carrier": "post",
            "service": "standard",
            "dest_country": "FR",
            "base_fee": 1.0,
            "breaks": [{"max_weight_kg": 5, "price": 4.9}, {"max_weight_kg": 2, "price": 3.9}],
        }
    ]
}


def stored_versions(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(rate_tables)).scalar_one()


def put_csv(client, text: str, **params):
    return client.put(URL, content=text, headers={"Content-Type": "text/csv"}, params=params)


def test_before_any_import_placeholder_rates_are_active_and_usable(client):
    body = client.get(URL).json()
    assert body["version"] == 0 and body["builtin"] is True and body["source"] is None
    table = to_rate_table(RateTableData.model_validate(body["rates"]))
    near, far = (table.lane("standard", "FR", "FR", km).quote(1.0).cost for km in (100, 2000))
    assert near < far
    assert client.get(f"{URL}/versions").json() == []


def test_an_imported_csv_becomes_the_active_version(client):
    response = put_csv(client, CSV, source="rates-2026.csv", comment="new contract")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["version"], body["source"], body["comment"]) == (1, "rates-2026.csv", "new contract")
    post, dhl = body["rates"]["cards"]
    assert [b["max_weight_kg"] for b in post["breaks"]] == [2, 5] and post["base_fee"] == 1.0
    assert (dhl["origin_country"], dhl["max_distance_km"], dhl["per_kg_over"]) == ("DE", 800, 0.8)
    assert client.get(URL).json() == body == client.get(f"{URL}/versions/1").json()
    table = to_rate_table(RateTableData.model_validate(body["rates"]))
    assert table.lane("standard", "FR", "FR", 300).quote(3) == Quote("post", 5.9)


def test_a_json_table_is_saved_with_its_breaks_in_weight_order(client, engine):
    body = client.put(URL, json=RATES).json()
    assert body["version"] == 1 and body["rates"]["cards"][0]["breaks"][0] == {
        "max_weight_kg": 2,
        "price": 3.9,
    }
    with engine.connect() as conn:
        event = conn.execute(select(audit_events)).one()
    assert (event.action, event.after["cards"]) == ("rate_table.saved", 1)


def test_versions_are_listed_newest_first(client):
    put_csv(client, CSV, source="a.csv")
    client.put(URL, json=RATES, params={"comment": "only the post"})
    versions = client.get(f"{URL}/versions").json()
    assert [(v["version"], v["source"], v["cards"], v["carriers"]) for v in versions] == [
        (2, None, 1, ["post"]),
        (1, "a.csv", 2, ["dhl", "post"]),
    ]
    assert client.get(URL).json()["version"] == 2


def test_every_bad_csv_row_is_422_with_its_row_and_column_and_nothing_is_stored(client, engine):
    text = CSV + ",overnight,fr,,,5,x,,\npost,standard,,,-3,,1,,\n"
    response = put_csv(client, text)
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == [
        "/rows/5/carrier",
        "/rows/5/service",
        "/rows/5/origin_country",
        "/rows/5/price",
        "/rows/6/max_distance_km",
        "/rows/6/max_weight_kg",
    ]
    assert stored_versions(engine) == 0


def test_a_csv_without_a_required_column_is_422_at_row_1(client):
    response = put_csv(client, "carrier,service\npost,standard\n")
    assert [e["pointer"] for e in response.json()["errors"]] == ["/rows/1"]
    assert "price" in response.json()["errors"][0]["message"]


def test_a_card_whose_heavier_break_is_cheaper_is_refused_at_its_row(client):
    response = put_csv(client, CSV.replace("4.90", "2.90"))
    [error] = response.json()["errors"]
    assert error["pointer"] == "/rows/2" and "may not cost less" in error["message"]


@pytest.mark.parametrize(
    ("card", "pointer"),
    [
        ({"service": "overnight"}, "/cards/0/service"),
        ({"dest_country": "fr"}, "/cards/0/dest_country"),
        ({"breaks": []}, "/cards/0/breaks"),
        ({"breaks": [{"max_weight_kg": 2, "price": 5}, {"max_weight_kg": 5, "price": 4}]}, "/cards/0/breaks"),
        ({"breaks": [{"max_weight_kg": 2, "price": 5}, {"max_weight_kg": 2, "price": 6}]}, "/cards/0/breaks"),
        ({"base_fee": -1}, "/cards/0/base_fee"),
        ({"surcharge": 2}, "/cards/0/surcharge"),
    ],
)
def test_an_invalid_json_card_is_422_with_its_path(client, engine, card, pointer):
    response = client.put(URL, json={"cards": [RATES["cards"][0] | card]})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]
    assert stored_versions(engine) == 0


def test_two_cards_for_the_same_lane_are_refused(client):
    card = RATES["cards"][0]
    response = client.put(URL, json={"cards": [card, card]})
    assert [e["pointer"] for e in response.json()["errors"]] == ["/cards/1"]
    assert "as card 0" in response.json()["errors"][0]["message"]


def test_malformed_json_is_422(client):
    response = client.put(URL, content="{", headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and response.json()["errors"][0]["message"].startswith(
        "not valid json"
    )


def test_an_unknown_version_is_404(client):
    assert client.get(f"{URL}/versions/3").status_code == 404


def test_a_viewer_reads_but_may_not_import(client, engine):
    client.headers.update(api_key(engine, Role.VIEWER))
    assert client.get(URL).status_code == 200
    assert put_csv(client, CSV).status_code == 403
    assert put_csv(client, "not a csv").status_code == 403  # refused before the body is looked at
    assert stored_versions(engine) == 0


def test_without_a_key_it_is_401(client, engine):
    del client.headers["X-API-Key"]
    assert client.get(f"{URL}/versions").status_code == 401
    assert put_csv(client, CSV).status_code == 401
    assert stored_versions(engine) == 0


def test_the_openapi_schema_documents_json_and_csv_bodies(client):
    schema = client.get("/openapi.json").json()
    content = schema["paths"][URL]["put"]["requestBody"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/RateTableData"}
    assert content["text/csv"]["schema"]["type"] == "string"
    assert "RateTableData" in schema["components"]["schemas"]
