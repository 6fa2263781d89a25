"""Webhook signatures and the stock levels to push (no database)."""

import base64
import hashlib
import hmac

from oms.channels.shopify.inventory import Level, changed, levels
from oms.channels.shopify.signature import sign, verify


def test_the_signature_is_base64_hmac_sha256_of_the_raw_body():
    body, secret = b'{"id":1}', "shpss_secret"
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    assert sign(secret, body) == expected and verify(secret, body, expected)
    assert not verify(secret, body + b" ", expected)  # the bytes as received, not the JSON they hold
    assert not verify("another secret", body, expected)
    assert not verify(secret, body, None) and not verify(secret, body, "")
    assert not verify(secret, body, "é" + expected)


def test_levels_sum_the_nodes_of_a_location_and_count_a_missing_position_as_none():
    atp = {("WH-LYON", "A"): 5, ("ST-PARIS", "A"): 2, ("WH-KOELN", "A"): 7, ("WH-LYON", "B"): -1}
    current = levels(atp, {"WH-LYON": 10, "ST-PARIS": 10, "WH-KOELN": 20}, {"A": 100, "B": 200})
    assert current == [Level(10, 100, 7), Level(10, 200, 0), Level(20, 100, 7), Level(20, 200, 0)]


def test_only_levels_that_differ_from_what_was_sent_are_pushed():
    current = [Level(10, 100, 7), Level(10, 200, 0), Level(20, 100, 7)]
    assert changed(current, {(10, 100): 7, (10, 200): 3}) == [Level(10, 200, 0), Level(20, 100, 7)]
