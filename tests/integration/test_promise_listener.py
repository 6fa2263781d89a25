"""Change notifications keep the promise caches true across processes, within moments of a commit."""

import time

import orjson
import pytest
from sqlalchemy import insert, text, update
from sqlalchemy.exc import OperationalError

from oms.db.tables import channel_protections, nodes
from oms.services import promise_data, promise_listener, promise_stock
from oms.services.promise_listener import CHANNEL, MAX_PAYLOAD, PromiseDataListener, payloads, reserved
from tests.factories import set_stock

WAIT_SECONDS = 5.0


@pytest.fixture
def listener(network, clock):
    """A listener on the test database; the frozen clock means nothing expires by age meanwhile."""
    running = PromiseDataListener(network).start()
    assert running.connected.wait(WAIT_SECONDS)
    yield running
    running.stop()


def eventually(check) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        assert time.monotonic() < deadline, "the change was not seen in time"
        time.sleep(0.02)


def test_a_stock_change_committed_elsewhere_is_promised_at_once(sources, network, listener):
    assert sources(network) == ["WH-LYON"]
    set_stock(network, "WH-LYON", "TSH-BLU-L", 0)
    set_stock(network, "WH-KOELN", "TSH-BLU-L", 5)
    eventually(lambda: sources(network) == ["WH-KOELN"])


def test_other_skus_stay_cached(sources, network, listener, statements):
    set_stock(network, "WH-KOELN", "JKT-RED-M", 2)
    sources(network)
    sources(network, sku="JKT-RED-M")
    set_stock(network, "WH-KOELN", "JKT-RED-M", 0)
    eventually(lambda: "JKT-RED-M" not in promise_stock._skus)
    statements.clear()
    sources(network)
    assert statements == []


def test_while_listening_entries_outlive_the_ttl(sources, network, listener, statements, clock):
    sources(network)
    statements.clear()
    clock[0] += promise_stock.LISTENING_MAX_AGE_SECONDS - 1
    sources(network)
    assert statements == []
    clock[0] += 1
    sources(network)
    assert sum("FROM inventory" in sql for sql in statements) == 1


def test_a_new_protection_forgets_every_channel(sources, network, listener):
    assert sources(network, channel="marketplace") == ["WH-LYON"]
    with network.begin() as conn:
        conn.execute(insert(channel_protections), {"channel_id": "marketplace", "sku": "TSH-BLU-L", "quantity": 3})
    eventually(lambda: sources(network, channel="marketplace") == [])


def test_a_node_change_forgets_the_reference_data(sources, network, listener):
    sources(network)
    assert promise_data.fresh_reference() is not None
    with network.begin() as conn:
        conn.execute(update(nodes).where(nodes.c.id == "WH-LYON").values(processing_days=3))
    eventually(lambda: promise_data.fresh_reference() is None)


def test_a_change_of_very_many_skus_forgets_everything(sources, network, listener):
    sources(network)
    assert "TSH-BLU-L" in promise_stock._skus
    skus = [f"SKU-{i:06d}-{'X' * 40}" for i in range(200)]  # far more than a notification can carry
    with network.begin() as conn:
        conn.execute(
            text("INSERT INTO products (sku, name, unit_price, currency) SELECT s, s, 1, 'EUR' FROM unnest(CAST(:skus AS text[])) s"),
            {"skus": skus},
        )
    eventually(lambda: not promise_stock._skus)


def test_a_read_that_raced_with_an_invalidation_is_not_kept(sources, network, clock):
    generation = promise_stock._generation
    with network.connect() as conn:
        read, _ = promise_stock._read(conn, ["TSH-BLU-L"], None)
    promise_stock.forget(["TSH-BLU-L"])  # the change was announced while the read was under way
    promise_stock._keep(read, None, generation)
    assert "TSH-BLU-L" not in promise_stock._skus
    promise_stock._keep(read, None, promise_stock._generation)  # a read begun after it is kept
    assert "TSH-BLU-L" in promise_stock._skus


def test_a_read_that_raced_with_a_reservation_is_kept_but_stays_stale(sources, network, clock, monkeypatch):
    monkeypatch.setattr(promise_stock, "_listeners", 1)
    generation = promise_stock._generation
    with network.connect() as conn:
        read, _ = promise_stock._read(conn, ["TSH-BLU-L"], None)
    promise_stock.reserved(["TSH-BLU-L"])  # announced while the read was under way
    promise_stock._keep(read, None, generation)
    assert "TSH-BLU-L" in promise_stock._skus
    assert "TSH-BLU-L" in promise_stock._stale_since and "TSH-BLU-L" in promise_stock._to_rewarm


def test_a_reservation_leaves_the_entry_in_use_until_it_is_read_again(sources, network, clock, monkeypatch, statements):
    monkeypatch.setattr(promise_stock, "_listeners", 1)  # as in a process whose listener reads stale entries
    set_stock(network, "WH-KOELN", "TSH-BLU-L", 5)
    assert sources(network) == ["WH-LYON"]
    set_stock(network, "WH-LYON", "TSH-BLU-L", 3, reserved=3)  # another process reserved Lyon's last units
    promise_stock.reserved(["TSH-BLU-L"])  # and announced it
    statements.clear()
    assert sources(network) == ["WH-LYON"] and statements == []  # the stale entry, no query
    with network.connect() as conn:
        assert promise_stock.rewarm(conn) == 1  # the listener's next round
    statements.clear()
    assert sources(network) == ["WH-KOELN"] and statements == []


def test_a_stale_entry_not_read_again_in_time_is_read_by_the_promise(sources, network, clock, monkeypatch, statements):
    monkeypatch.setattr(promise_stock, "_listeners", 1)
    set_stock(network, "WH-KOELN", "TSH-BLU-L", 5)
    sources(network)
    set_stock(network, "WH-LYON", "TSH-BLU-L", 3, reserved=3)
    promise_stock.reserved(["TSH-BLU-L"])
    clock[0] += promise_stock.RESERVED_STALE_SECONDS
    statements.clear()
    assert sources(network) == ["WH-KOELN"]
    assert any("FROM inventory" in sql for sql in statements)


def test_a_reservation_heard_from_another_process_is_read_again_off_the_request_path(
    sources, network, monkeypatch, statements
):
    monkeypatch.setattr(promise_listener, "REWARM_SECONDS", 0.05)
    set_stock(network, "WH-KOELN", "TSH-BLU-L", 5)
    running = PromiseDataListener(network).start()
    try:
        assert running.connected.wait(WAIT_SECONDS)
        assert sources(network) == ["WH-LYON"]
        with network.connect() as conn:  # another API process reserves Lyon's last units and says so
            conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("UPDATE inventory SET reserved = 3 WHERE node_id = 'WH-LYON' AND sku = 'TSH-BLU-L'"))
            conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                         {"channel": CHANNEL, "payload": 'reserved ["TSH-BLU-L"]'})  # fmt: skip

        def read_again() -> bool:
            entry = promise_stock._skus.get("TSH-BLU-L")
            return entry is not None and {p.node_id: p.reserved for p in entry.positions}.get("WH-LYON") == 3

        eventually(read_again)
        statements.clear()
        assert sources(network) == ["WH-KOELN"]
        assert not any("FROM inventory" in sql for sql in statements)
    finally:
        running.stop()


def test_stopping_closes_the_connection(network, clock):
    def listening() -> int:
        with network.connect() as conn:
            sessions = text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND query LIKE 'LISTEN oms_promise_data%'"
            )
            return conn.execute(sessions).scalar()

    before = listening()
    running = PromiseDataListener(network).start()
    assert running.connected.wait(WAIT_SECONDS)
    eventually(lambda: listening() == before + 1)
    started = time.monotonic()
    running.stop()
    assert time.monotonic() - started < 0.5 and not running.connected.is_set()
    eventually(lambda: listening() == before)


def test_reservations_are_not_announced_by_the_database_but_stock_counts_are(network, heard):
    with network.begin() as conn:
        conn.execute(text("UPDATE inventory SET reserved = reserved + 1 WHERE sku = 'TSH-BLU-L'"))
    assert heard() == []
    with network.begin() as conn:
        conn.execute(text("UPDATE inventory SET on_hand = on_hand + 5 WHERE sku = 'TSH-BLU-L'"))
    assert heard() == ['["TSH-BLU-L"]']


def test_the_stock_count_trigger_does_not_run_for_a_reservation(network, heard):
    def notify_calls(conn) -> int:
        calls = "SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions WHERE funcname = 'oms_notify_stock_counts'"
        return conn.execute(text(calls)).scalar()

    set_stock(network, "WH-KOELN", "JKT-RED-M", 4)
    heard()
    with network.begin() as conn:
        conn.execute(text("SET LOCAL track_functions = 'pl'"))
        conn.execute(text("UPDATE inventory SET reserved = reserved + 1 WHERE sku = 'TSH-BLU-L'"))
        assert notify_calls(conn) == 0
        conn.execute(text("UPDATE inventory SET safety_stock = safety_stock + 1 WHERE sku = 'TSH-BLU-L'"))
        assert notify_calls(conn) == 1
        conn.execute(text("UPDATE inventory SET reserved = reserved + 1 WHERE sku = 'JKT-RED-M'"))
        conn.execute(text("UPDATE inventory SET on_hand = on_hand WHERE sku = 'JKT-RED-M'"))  # no count changed
        assert notify_calls(conn) == 1
    assert heard() == ['["TSH-BLU-L"]']


def test_a_process_announces_its_own_reservations_in_a_batch(network, listener, heard):
    reserved(network, ["TSH-BLU-L", "JKT-RED-M"])
    reserved(network, ["TSH-BLU-L"])
    assert heard(1.0) == ['reserved ["JKT-RED-M","TSH-BLU-L"]']


def test_a_process_without_a_listener_announces_its_reservations_at_once(network, heard, sources, clock):
    sources(network)
    reserved(network, ["TSH-BLU-L"])
    assert "TSH-BLU-L" not in promise_stock._skus  # no listener here would read it again: forgotten
    assert heard() == ['reserved ["TSH-BLU-L"]']


def test_long_announcements_are_split_under_the_payload_limit():
    skus = [f"SKU-{i:05d}-{'X' * 50}" for i in range(400)]
    chunks = payloads(skus)
    assert len(chunks) > 1 and all(len(c) <= MAX_PAYLOAD for c in chunks)
    assert [sku for chunk in chunks for sku in orjson.loads(chunk)] == skus


def test_a_listening_process_reads_all_stock_at_once_so_first_promises_run_no_query(
    sources, network, listener, statements
):
    assert {"TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"} <= set(promise_stock._skus)
    assert sources(network) == ["WH-LYON"]
    assert not any("FROM inventory" in sql for sql in statements)


def test_a_catalogue_too_big_to_read_at_once_is_cached_as_promises_ask(network, monkeypatch, clock):
    monkeypatch.setattr(promise_stock, "HYDRATE_MAX_POSITIONS", 0)
    running = PromiseDataListener(network).start()
    assert running.connected.wait(WAIT_SECONDS)
    try:
        assert promise_stock._skus == {}
    finally:
        running.stop()


def test_a_change_of_many_multibyte_skus_is_announced_as_everything_not_refused(network, heard):
    skus = [f"{'É' * 30}-{i:04d}" for i in range(150)]  # ~5,500 characters, ~10,000 bytes of JSON
    with network.begin() as conn:
        conn.execute(
            text("INSERT INTO products (sku, name, unit_price, currency) SELECT s, s, 1, 'EUR' FROM unnest(CAST(:skus AS text[])) s"),
            {"skus": skus},
        )
    assert heard() == ["*"]


def test_a_failure_while_connecting_is_retried_and_leaves_no_phantom_listener(network, monkeypatch, clock):
    attempts: list[int] = []
    hydrate = promise_stock.hydrate

    def flaky(conn):
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("SELECT", {}, Exception("the database is restarting"))
        return hydrate(conn)

    monkeypatch.setattr(promise_stock, "hydrate", flaky)
    monkeypatch.setattr(promise_listener, "RECONNECT_SECONDS", 0.05)
    before = promise_stock._listeners
    running = PromiseDataListener(network).start()
    assert running.connected.wait(WAIT_SECONDS) and len(attempts) == 2
    assert promise_stock._listeners == before + 1
    running.stop()
    assert promise_stock._listeners == before


def test_changed_skus_that_were_cached_are_read_again_off_the_request_path(sources, network, monkeypatch, statements):
    monkeypatch.setattr(promise_listener, "REWARM_SECONDS", 0.05)
    running = PromiseDataListener(network).start()
    try:
        assert running.connected.wait(WAIT_SECONDS) and "TSH-BLU-L" in promise_stock._skus
        assert sources(network) == ["WH-LYON"]  # a promise asks for it, so it is worth keeping warm
        set_stock(network, "WH-LYON", "TSH-BLU-L", 0)
        set_stock(network, "WH-KOELN", "TSH-BLU-L", 5)
        def read_again() -> bool:  # both changes heard and read again
            entry = promise_stock._skus.get("TSH-BLU-L")
            on_hand = {p.node_id: p.on_hand for p in entry.positions} if entry else {}
            return on_hand.get("WH-LYON") == 0 and on_hand.get("WH-KOELN") == 5

        eventually(read_again)
        statements.clear()
        assert sources(network) == ["WH-KOELN"]
        assert not any("FROM inventory" in sql for sql in statements)  # the request read nothing
    finally:
        running.stop()


def test_changed_skus_no_promise_asked_for_lately_are_not_read_again(sources, network, monkeypatch):
    monkeypatch.setattr(promise_listener, "REWARM_SECONDS", 0.05)
    set_stock(network, "WH-KOELN", "JKT-RED-M", 2)
    running = PromiseDataListener(network).start()
    try:
        assert running.connected.wait(WAIT_SECONDS) and {"TSH-BLU-L", "JKT-RED-M"} <= set(promise_stock._skus)
        sources(network)  # asks for TSH-BLU-L only
        set_stock(network, "WH-KOELN", "JKT-RED-M", 1)
        set_stock(network, "WH-LYON", "TSH-BLU-L", 4)
        def lyon_read_again() -> bool:
            entry = promise_stock._skus.get("TSH-BLU-L")
            return entry is not None and {p.node_id: p.on_hand for p in entry.positions}.get("WH-LYON") == 4

        eventually(lyon_read_again)
        time.sleep(3 * promise_listener.REWARM_SECONDS)
        assert "JKT-RED-M" not in promise_stock._skus
    finally:
        running.stop()
