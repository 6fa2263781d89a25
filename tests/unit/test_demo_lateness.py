"""The demo history's promise rule and hidden lateness mechanism, without a database."""

import random
from datetime import UTC, date, datetime, time, timedelta
from statistics import mean
from zoneinfo import ZoneInfo

from oms.services.demo.carriers import CARRIERS
from oms.services.demo.lateness import promise, ready_day, transit_days
from oms.services.demo.network import BY_ID
from oms.services.demo.places import region
from oms.services.demo.seasons import black_friday, demand_factor
from oms.services.demo.simulation import simulate
from oms.services.demo.workdays import Calendars

PARIS = ZoneInfo("Europe/Paris")
LYON = BY_ID["WH-LYON"]  # cut-off 15:00, ships the same day
CAL = Calendars(date(2026, 1, 1), date(2026, 12, 31))
WORKDAYS, DELIVERY = CAL.of("FR", saturdays=False), CAL.of("FR", saturdays=True)
FRIDAY = date(2026, 10, 16)
COLISSIMO = CARRIERS["Colissimo"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), PARIS)


def test_a_friday_order_after_the_cut_off_is_promised_for_monday_plus_transit():
    ship, delivery = promise(at(FRIDAY, 16), LYON, COLISSIMO, "standard", False, 400, WORKDAYS, DELIVERY)
    assert ship == date(2026, 10, 19) and delivery == date(2026, 10, 21)
    before = promise(at(FRIDAY, 10), LYON, COLISSIMO, "standard", False, 400, WORKDAYS, DELIVERY)
    assert before == (FRIDAY, date(2026, 10, 19))  # delivery days: Saturday (Colissimo) and Monday


def test_public_holidays_push_the_promise():
    ship, _ = promise(at(date(2026, 7, 13), 16), LYON, COLISSIMO, "standard", False, 400, WORKDAYS, DELIVERY)
    assert ship == date(2026, 7, 15)  # 14 July is Bastille Day


def test_orders_released_just_before_the_cut_off_often_miss_it():
    rng = random.Random(1)
    missed = mean(ready_day(rng, at(FRIDAY, 14, 55), LYON, WORKDAYS) > FRIDAY for _ in range(2000))
    early = mean(ready_day(rng, at(FRIDAY, 11), LYON, WORKDAYS) > FRIDAY for _ in range(2000))
    assert 0.25 < missed < 0.5 and early == 0


def test_stores_are_slower_to_pack_than_warehouses():
    rng, store = random.Random(2), BY_ID["ST-PARIS"]
    store_days = CAL.of("FR", saturdays=True)
    monday = date(2026, 10, 12)
    lag = mean((ready_day(rng, at(monday, 10), store, store_days) - monday).days for _ in range(2000))
    assert lag > 1.05 and ready_day(rng, at(monday, 10), LYON, WORKDAYS) == monday


def test_carriers_slip_more_at_peaks_in_bad_regions_and_over_the_weekend():
    rng = random.Random(3)

    def average(ship_day: date, area: str = "FR-OTHER", carrier: str = "Colissimo") -> float:
        return mean(transit_days(rng, CARRIERS[carrier], "standard", area, False, 900, ship_day)
                    for _ in range(4000))

    ordinary_tuesday = date(2026, 10, 13)
    assert average(black_friday(2026)) > average(ordinary_tuesday) + 0.1
    assert average(ordinary_tuesday, "FR-CORSE") > average(ordinary_tuesday) + 0.2
    assert average(ordinary_tuesday, carrier="GLS") > average(ordinary_tuesday, carrier="UPS")
    assert average(FRIDAY) > average(ordinary_tuesday)


def test_regions_come_from_the_postal_code_alone():
    assert [region("FR", "20000"), region("FR", "75011"), region("FR", "33000"), region("FR", "69002")] == [
        "FR-CORSE", "FR-IDF", "FR-SW", "FR-OTHER"]
    assert [region("DE", "80331"), region("DE", "04109"), region("DE", "50667")] == [
        "DE-SOUTH", "DE-EAST", "DE-WEST"]
    assert [region("BE", "1000"), region("BE", "4000"), region("BE", "9000"), region("NL", "1012 JS")] == [
        "BE-BRU", "BE-WAL", "BE-FL", "NL"]


def test_black_friday_is_the_busiest_day_of_the_year():
    year = [date(2026, 1, 1) + timedelta(days=i) for i in range(365)]
    assert black_friday(2026) == date(2026, 11, 27)
    assert max(year, key=lambda d: demand_factor(d, date(2026, 12, 31))) == black_friday(2026)


def test_the_same_seed_and_clock_give_the_same_world():
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    first, again = simulate(5, now), simulate(5, now)
    assert first == again
    assert simulate(5, now, seed=7)["orders"] != first["orders"]
