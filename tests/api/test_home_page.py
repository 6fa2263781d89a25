from tests.factories import order_body, set_stock


def test_the_home_page_shows_what_the_server_holds_and_links_the_api_docs(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    client.post("/api/v1/orders", json=order_body())
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'href="/docs"' in page.text
    assert "<b>1</b>orders" in page.text and "<b>3</b>products" in page.text
