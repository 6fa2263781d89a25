"""The managers' overview page: four SVG charts with their numbers in tables, the late orders and the
stock-outs linking to their pages, filters kept in the URL, empty states, and roles enforced."""

from datetime import date

from oms.services.actor import Role
from tests.api.test_overview import at, order, shipment
from tests.api.test_sla_report import insert
from tests.factories import set_stock
from tests.web.conftest import as_role

WEEK = "/overview?from=2026-03-02&to=2026-03-08"


def a_week(engine) -> int:
    """Two orders shipped on the 3rd (one late), one open order late now whose line went backordered on the
    4th, a SKU out everywhere; the late order's id."""
    with engine.begin() as conn:
        a = order(conn, "A", at(2, 10), total=100, ship_by=date(2026, 3, 3))
        b = order(conn, "B", at(2, 12), channel="marketplace", currency="GBP", ship_by=date(2026, 3, 3))
        shipment(conn, a, "WH-LYON", at(3, 10), date(2026, 3, 5), delivered=at(5, 10))
        shipment(conn, b, "WH-LYON", at(3, 23), date(2026, 3, 6))
        late = order(conn, "<late>", at(1, 8), status="allocated", deliver_by=date(2026, 3, 4))
        insert(conn, "audit_events", entity_type="order", entity_id=str(late), order_id=late, action="order.created",
               actor="t", actor_role="ops", after='{"lines": [{"line_no": 1, "backordered_quantity": 2}]}',
               created_at=at(4, 9))  # fmt: skip
    set_stock(engine, "WH-LYON", "JKT-RED-M", on_hand=1, reserved=1)
    return late


def test_a_viewer_sees_four_charts_each_with_its_numbers_and_the_lists_link_to_their_pages(web, engine):
    late = a_week(engine)
    as_role(web, engine, Role.VIEWER)
    page = web.get(WEEK).text
    assert page.count('<svg class="chart"') == 4 and page.count('role="img"') == 4
    for chart in ("chart-orders", "chart-lead", "chart-late", "chart-backordered"):
        assert f'aria-labelledby="{chart}-title"' in page
    assert "<td>2026-03-02</td><td>web</td><td class=\"num\">1</td><td class=\"num\">100.00 EUR</td>" in page
    assert "<td>2026-03-02</td><td>marketplace</td>" in page and "GBP" in page
    assert '<tr data-lead-node="WH-LYON"><td>WH-LYON</td><td class="num">2</td><td class="num">29.5</td>' in page
    assert f'<a href="/orders/{late}">{late}</a>' in page
    assert '<span data-testid="late-count">1</span>' in page
    assert '<a href="/inventory?sku=JKT-RED-M">JKT-RED-M</a>' in page
    assert "<title>03-04 · lines backordered: 1</title>" in page
    assert '<a href="/overview" aria-current="page">Overview</a>' in page


def test_the_filters_are_kept_in_the_url_and_limit_the_numbers_to_a_channel(web, engine):
    a_week(engine)
    as_role(web, engine, Role.MANAGER)
    page = web.get(WEEK + "&channel=marketplace").text
    assert 'name="from" value="2026-03-02"' in page and 'name="to" value="2026-03-08"' in page
    assert '<option value="marketplace" selected>' in page
    assert "<td>2026-03-02</td><td>web</td>" not in page and "<td>2026-03-02</td><td>marketplace</td>" in page


def test_an_empty_period_says_what_to_do(web, engine):
    as_role(web, engine, Role.VIEWER)
    page = web.get("/overview").text
    assert "<svg" not in page and page.count("nothing to draw for this period") == 4
    assert "pick an earlier or longer period" in page
    assert "No active node is out of any SKU" in page


def test_a_bad_period_is_a_readable_page_that_names_the_field(web, engine):
    as_role(web, engine, Role.VIEWER)
    answer = web.get("/overview?from=2026-03-09&to=2026-03-08")
    assert answer.status_code == 422
    assert "Some values are not valid" in answer.text and "from: Value error, the first day is after" in answer.text
    too_long = web.get("/overview?from=2026-01-01&to=2026-06-30")
    assert too_long.status_code == 422 and "at most 92 days" in too_long.text
    unknown = web.get("/overview?channel=nowhere")
    assert unknown.status_code == 422 and "unknown channel" in unknown.text


def test_roles_that_do_not_read_reports_get_a_refusal_page_and_no_link(web, engine):
    as_role(web, engine, Role.CHANNEL, "web")
    answer = web.get("/overview")
    assert answer.status_code == 403 and "may not reports:read" in answer.text
    assert 'href="/overview"' not in web.get("/").text
    as_role(web, engine, Role.BACKOFFICE)
    assert web.get("/overview").status_code == 403


def test_the_landing_page_leads_managers_to_the_overview_first(web, engine):
    as_role(web, engine, Role.MANAGER)
    home = web.get("/").text
    assert home.index('<a class="tile" href="/overview">') < home.index("Open orders needing attention")
    as_role(web, engine, Role.OPS)
    assert '<a class="tile" href="/overview">' not in web.get("/").text
