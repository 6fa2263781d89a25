"""What the delay model sees of a shipment: the node's load, the destination region, time against the
cut-off and the season."""

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

from oms.ml.delay_features import NodeCutoff, build_features, node_loads, region
from tests.unit.test_delay_data import shipment


def released(number: int, at: datetime, node: str = "WH-LYON"):
    return dataclasses.replace(shipment(number), released_at=at, node_id=node)


def test_node_load_counts_the_same_nodes_releases_of_the_24_hours_before():
    noon = datetime(2026, 3, 10, 12, tzinfo=UTC)
    rows = [
        released(1, noon - timedelta(hours=26)),  # too early for all but row 2
        released(2, noon - timedelta(hours=23)),
        released(3, noon - timedelta(hours=1)),
        released(4, noon - timedelta(hours=1), node="ST-PARIS"),  # another node
        released(5, noon),
    ]
    assert node_loads(rows) == [0, 1, 1, 0, 2]  # row 2 sees row 1: 3 hours before


def test_context_rows_count_towards_load_but_are_not_featured():
    noon = datetime(2026, 3, 10, 12, tzinfo=UTC)
    earlier = [released(n, noon - timedelta(hours=n)) for n in range(1, 4)]
    assert node_loads([released(9, noon)], context=earlier) == [3]
    assert len(build_features([released(9, noon)], context=earlier)["node_load_24h"]) == 1


def test_the_region_is_the_country_and_two_first_characters_of_the_postal_code():
    corsica = dataclasses.replace(shipment(1), dest_country="fr", dest_postal="20000")
    amsterdam = dataclasses.replace(shipment(1), dest_country="NL", dest_postal="1 012PH")
    assert (region(corsica), region(amsterdam)) == ("FR-20", "NL-10")


def test_hours_to_cutoff_are_counted_in_the_nodes_own_time_zone():
    at = dataclasses.replace(
        shipment(1), released_at=datetime(2026, 3, 10, 12, 30, tzinfo=UTC)
    )  # 13:30 Paris
    cutoffs = {"WH-LYON": NodeCutoff(time(15, 0), "Europe/Paris")}
    assert build_features([at], cutoffs=cutoffs)["hours_to_cutoff"] == [1.5]
    assert build_features([at])["hours_to_cutoff"] == [11.5]  # unknown cut-off: the end of the day


def test_black_friday_week_runs_from_the_monday_before_to_cyber_monday():
    def flag(day: date) -> int:
        moment = datetime.combine(day, time(10), UTC)
        return build_features([dataclasses.replace(shipment(1), released_at=moment)])["black_friday_week"][0]

    assert [flag(date(2026, 11, d)) for d in (22, 23, 27, 30)] == [0, 1, 1, 1]
    assert flag(date(2026, 12, 1)) == 0
