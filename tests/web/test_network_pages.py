"""The network page: each node's load today and outage state, SLA attainment over a chosen period, and
the returns waiting to be received or inspected; only for roles that may read the network."""

import re
from datetime import date

from sqlalchemy import text

from oms.services import order_actions
from oms.services.actor import Role
from oms.services.node_outage import OutageCommand, declare_outage
from oms.services.return_models import ReturnCreate
from oms.services.returns import create_return
from oms.services.uow import UnitOfWork
from tests.api.test_sla_report import at, fulfilment, order, parcel
from tests.factories import OPS
from tests.returns_factories import shipped_order
from tests.web.conftest import as_role


def _cells(page: str, attribute: str, key: str) -> list[str]:
    row = re.search(rf'<tr {attribute}="{key}">(.*?)</tr>', page, re.DOTALL).group(1)
    return [
        re.sub(r"<[^>]+>|\s+", " ", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
    ]


def test_nodes_show_shipments_today_against_capacity_open_work_and_outages(web, engine, captured):
    with engine.begin() as conn:
        conn.execute(text("UPDATE nodes SET daily_capacity = 4 WHERE id = 'WH-LYON'"))
    shipped_order(engine, "WEB-9")  # released and shipped from Lyon today: one shipment, closed
    order_actions.release(UnitOfWork(engine), OPS, captured[1]["id"])  # Köln's jacket: open at Köln
    declare_outage(UnitOfWork(engine), OPS, "ST-PARIS", OutageCommand(note="flooded"))
    as_role(web, engine, Role.VIEWER)
    page = web.get("/network").text
    lyon, koeln, paris = (_cells(page, "data-node", n) for n in ("WH-LYON", "WH-KOELN", "ST-PARIS"))
    # WEB-1 (captured, not released) and WEB-9 each took a shipment on at Lyon today
    assert lyon[2:] == ["FR", "2", "4", "50 %", "0", "running"]
    assert koeln[2:] == ["DE", "1", "500", "0 %", "1", "running"]
    assert paris[1:] == ["store", "FR", "0", "500", "0 %", "0", "outage"]
    assert '<a href="/network" aria-current="page">Network</a>' in page


def test_sla_attainment_over_a_chosen_period(web, engine):
    with engine.begin() as conn:
        o = order(conn, "SLA-1")
        fo = fulfilment(conn, o, "WH-LYON", date(2026, 3, 3), at(2, 16))
        parcel(conn, o, "WH-LYON", "Colissimo", at(3, 12), date(2026, 3, 5), fo, delivered=at(5, 20))
        fulfilment(conn, o, "WH-LYON", date(2026, 3, 4), at(3, 9), status="packed")  # open past ship-by
    as_role(web, engine, Role.VIEWER)
    week = web.get("/network", params={"from": "2026-03-02", "to": "2026-03-08"}).text
    assert _cells(week, "data-sla-node", "WH-LYON")[:6] == ["WH-LYON", "2", "1", "0", "1", "50.0 %"]
    assert _cells(week, "data-sla-carrier", "Colissimo")[:8] == [
        "Colissimo",
        "1",
        "1",
        "0",
        "0",
        "0",
        "0",
        "100.0 %",
    ]
    later = web.get("/network", params={"from": "2026-04-01", "to": "2026-04-30"}).text
    assert "No node had work due to ship between 2026-04-01 and 2026-04-30" in later
    assert "No parcel was due to land" in later
    backwards = web.get("/network", params={"from": "2026-03-08", "to": "2026-03-02"})
    assert backwards.status_code == 200 and "`to` is before `from`" in backwards.text
    assert "Pick a “To” on or after “From”" in backwards.text and "data-node=" in backwards.text
    assert web.get("/network", params={"from": "March"}).status_code == 422


def test_the_returns_queue_lists_returns_awaiting_receipt(web, engine):
    as_role(web, engine, Role.VIEWER)
    assert "No return is waiting to be received or inspected." in web.get("/network").text
    order_id = shipped_order(engine, "WEB-7")
    rma = create_return(
        UnitOfWork(engine),
        OPS,
        ReturnCreate.model_validate(
            {"order_id": order_id, "lines": [{"line_no": 1, "quantity": 1, "reason_code": "too_small"}]}
        ),
    )
    page = web.get("/network").text
    assert (
        "Authorised, not sent yet" in page and rma.rma_number in page and f'href="/orders/{order_id}"' in page
    )
    assert "Received, to inspect" not in page


def test_roles_without_network_read_are_refused_and_not_shown_the_link(web, engine):
    as_role(web, engine, Role.CHANNEL, "web")
    home = web.get("/").text
    assert 'href="/network"' not in home and 'href="/inventory"' in home
    refused = web.get("/network")
    assert refused.status_code == 403 and "may not network:read" in refused.text
