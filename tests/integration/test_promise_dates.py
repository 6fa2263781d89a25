from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert

from oms.db.tables import transit_rules
from oms.services.promise import promise_dates
from tests.factories import add_network

TUESDAY_10AM_PARIS = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
FROM_LYON = {"WH-LYON": [("TSH-BLU-L", 1)]}
WEDNESDAY = date(2026, 3, 11)


@pytest.fixture
def conn(engine):
    add_network(engine)
    with engine.connect() as conn:
        yield conn


def dates(conn, shipments, postal="75011", country="FR", level="standard", at=TUESDAY_10AM_PARIS):
    return promise_dates(conn, shipments, postal, country, level, at)


def test_the_promise_is_the_latest_over_the_shipments(conn):
    shipments = {"WH-LYON": [("TSH-BLU-L", 1)], "WH-KOELN": [("TSH-BLU-M", 2)]}
    assert dates(conn, shipments) == (WEDNESDAY, date(2026, 3, 14))  # Köln to Paris: 3 days


def test_express_is_faster(conn):
    assert dates(conn, FROM_LYON, level="express") == (WEDNESDAY, date(2026, 3, 12))


def test_pickup_is_promised_for_the_ready_date_at_the_store(conn):
    assert dates(conn, {"ST-PARIS": [("TSH-BLU-L", 1)]}, level="pickup") == (WEDNESDAY, WEDNESDAY)


def test_an_unknown_postal_prefix_falls_back_to_the_country(conn):
    assert dates(conn, FROM_LYON, postal="???") == (WEDNESDAY, date(2026, 3, 13))


def test_an_express_order_without_an_express_route_gets_the_standard_date(conn):
    conn.execute(insert(transit_rules), {"carrier": "dhl", "service_level": "standard", "origin_country": None,
                                         "dest_country": None, "max_distance_km": None, "transit_days": 4})  # fmt: skip
    assert dates(conn, FROM_LYON, level="express") == (WEDNESDAY, date(2026, 3, 16))


def test_a_naive_order_time_is_read_as_utc(conn):
    naive = datetime(2026, 3, 10, 13, 30)  # 14:30 in Paris: after the cut-off
    assert dates(conn, FROM_LYON, at=naive) == (date(2026, 3, 12), date(2026, 3, 14))


@pytest.mark.parametrize(
    ("shipments", "country"),
    [({}, "FR"), (FROM_LYON, "XX"), ({"WH-MARS": [("TSH-BLU-L", 1)]}, "FR")],
)
def test_no_dates_without_shipments_a_known_country_or_a_known_node(conn, shipments, country):
    assert dates(conn, shipments, country=country) == (None, None)
