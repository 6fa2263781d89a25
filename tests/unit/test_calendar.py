from datetime import UTC, date, datetime, time

from oms.domain.calendar import add_delivery_days, add_working_days, is_working_day, processing_start

CUTOFF = time(14, 0)


def paris_start(at: datetime) -> date:
    return processing_start(at, "Europe/Paris", CUTOFF, "FR")


def test_an_order_before_the_cut_off_starts_processing_the_same_day():
    assert paris_start(datetime(2026, 3, 10, 12, 59, tzinfo=UTC)) == date(2026, 3, 10)  # 13:59 in Paris


def test_an_order_at_or_after_the_cut_off_starts_the_next_working_day():
    assert paris_start(datetime(2026, 3, 10, 13, 0, tzinfo=UTC)) == date(2026, 3, 11)  # 14:00 in Paris


def test_the_cut_off_is_read_in_the_node_s_own_timezone():
    at = datetime(2026, 7, 7, 12, 30, tzinfo=UTC)  # 14:30 in Paris (summer time), 13:30 in Lisbon
    assert paris_start(at) == date(2026, 7, 8)
    assert processing_start(at, "Europe/Lisbon", CUTOFF, "PT") == date(2026, 7, 7)
    assert paris_start(datetime(2026, 1, 13, 12, 30, tzinfo=UTC)) == date(2026, 1, 13)  # 13:30 in winter


def test_the_local_date_decides_the_day_not_the_utc_one():
    at = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # Tuesday 00:30 in Paris, still Monday in UTC
    assert paris_start(at) == date(2026, 3, 10)


def test_friday_after_the_cut_off_starts_processing_on_monday():
    assert paris_start(datetime(2026, 3, 13, 15, 0, tzinfo=UTC)) == date(2026, 3, 16)


def test_a_weekend_order_starts_processing_on_monday_even_before_the_cut_off():
    assert paris_start(datetime(2026, 3, 14, 8, 0, tzinfo=UTC)) == date(2026, 3, 16)


def test_bastille_day_is_a_holiday_in_france_but_not_in_germany():
    monday_evening = datetime(2026, 7, 13, 16, 0, tzinfo=UTC)
    assert paris_start(monday_evening) == date(2026, 7, 15)
    assert processing_start(monday_evening, "Europe/Berlin", CUTOFF, "DE") == date(2026, 7, 14)


def test_german_unity_day_is_a_holiday_in_germany_but_not_in_france():
    thursday_evening = datetime(2025, 10, 2, 15, 0, tzinfo=UTC)
    assert processing_start(thursday_evening, "Europe/Berlin", CUTOFF, "DE") == date(2025, 10, 6)
    assert paris_start(thursday_evening) == date(2025, 10, 3)


def test_christmas_and_the_weekend_after_it_are_skipped_when_counting_working_days():
    assert add_working_days(date(2026, 12, 24), 1, "FR") == date(2026, 12, 28)
    assert add_working_days(date(2026, 12, 24), 1, "DE") == date(2026, 12, 28)


def test_processing_days_count_working_days_only():
    assert add_working_days(date(2026, 3, 13), 2, "FR") == date(2026, 3, 17)
    assert add_working_days(date(2026, 3, 13), 0, "FR") == date(2026, 3, 13)


def test_carriers_deliver_on_saturday_but_never_on_sunday():
    friday = date(2026, 3, 13)
    assert add_delivery_days(friday, 1, "FR") == date(2026, 3, 14)
    assert add_delivery_days(friday, 2, "FR") == date(2026, 3, 16)


def test_delivery_skips_the_destination_s_holidays_not_the_origin_s():
    monday = date(2026, 7, 13)
    assert add_delivery_days(monday, 1, "FR") == date(2026, 7, 15)
    assert add_delivery_days(monday, 1, "DE") == date(2026, 7, 14)


def test_a_holiday_on_a_saturday_pushes_delivery_past_the_sunday():
    assert add_delivery_days(date(2026, 10, 2), 1, "DE") == date(2026, 10, 5)  # 3 October is a Saturday


def test_same_day_transit_on_a_sunday_delivers_on_monday():
    assert add_delivery_days(date(2026, 3, 15), 0, "FR") == date(2026, 3, 16)
    assert add_delivery_days(date(2026, 3, 16), 0, "FR") == date(2026, 3, 16)


def test_a_country_without_a_holiday_calendar_still_has_weekends():
    assert is_working_day(date(2026, 12, 25), "XX")
    assert not is_working_day(date(2026, 12, 26), "XX")
