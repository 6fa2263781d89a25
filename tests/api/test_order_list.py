from tests.factories import order_body, set_stock


def test_orders_list_pages_newest_first_with_a_cursor(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=100)
    ids = [client.post("/api/v1/orders", json=order_body(f"W-{i}")).json()["id"] for i in range(5)]
    first = client.get("/api/v1/orders", params={"limit": 2}).json()
    assert [o["id"] for o in first["items"]] == ids[::-1][:2]
    second = client.get("/api/v1/orders", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    third = client.get("/api/v1/orders", params={"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [o["id"] for o in second["items"] + third["items"]] == ids[::-1][2:]
    assert third["next_cursor"] is None


def test_orders_list_filters_by_status_channel_email_external_id_and_sku(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=100)
    client.post("/api/v1/orders", json=order_body("A"))
    client.post("/api/v1/orders", json=order_body("B", lines=[("JKT-RED-M", 1)]))
    client.post("/api/v1/orders", json=order_body(
        "C", channel="marketplace", customer={"name": "Jonas Weber", "email": "Jonas@Example.de"}))

    def ids(**params):
        return [o["external_id"] for o in client.get("/api/v1/orders", params=params).json()["items"]]

    assert ids(status="backordered") == ["B"]
    assert ids(channel="marketplace") == ["C"]
    assert ids(customer_email="jonas@example.de") == ["C"]
    assert ids(external_id="A") == ["A"]
    assert ids(sku="JKT-RED-M") == ["B"]


def test_orders_list_rejects_a_bad_limit(client):
    response = client.get("/api/v1/orders", params={"limit": 0})
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/limit"
