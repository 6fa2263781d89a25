"""Webhook signatures as a receiver checks them: HMAC-SHA256 of "{timestamp}.{body}" under the secret."""

import hashlib
import hmac

from oms.domain.webhook_signature import signature, signed_headers, verify

SECRET = "whsec_test-secret-0123456789"
BODY = b'{"id":"0b7c","type":"order.created","created_at":"2026-03-10T09:00:00+00:00","data":{}}'
NOW = 1_773_133_200


def test_the_signature_is_the_hex_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature(SECRET, NOW, BODY) == expected


def test_headers_carry_event_id_type_timestamp_and_a_v1_signature():
    headers = signed_headers(SECRET, "0b7c", "order.created", NOW, BODY)
    assert headers["OMS-Event-Id"] == "0b7c" and headers["OMS-Event-Type"] == "order.created"
    assert headers["OMS-Timestamp"] == str(NOW) and headers["Content-Type"] == "application/json"
    assert headers["OMS-Signature"] == f"v1={signature(SECRET, NOW, BODY)}"


def test_a_receiver_verifies_what_was_signed():
    headers = signed_headers(SECRET, "0b7c", "order.created", NOW, BODY)
    assert verify(SECRET, headers["OMS-Timestamp"], headers["OMS-Signature"], BODY, now=NOW + 10)


def test_a_changed_body_timestamp_or_secret_does_not_verify():
    header = f"v1={signature(SECRET, NOW, BODY)}"
    assert not verify(SECRET, str(NOW), header, BODY.replace(b"order", b"0rder"), now=NOW)
    assert not verify(SECRET, str(NOW + 1), header, BODY, now=NOW)
    assert not verify("whsec_another-secret-0123", str(NOW), header, BODY, now=NOW)


def test_a_stale_timestamp_is_refused_even_when_correctly_signed():
    header = f"v1={signature(SECRET, NOW, BODY)}"
    assert verify(SECRET, str(NOW), header, BODY, now=NOW + 299)
    assert not verify(SECRET, str(NOW), header, BODY, now=NOW + 301)


def test_any_of_several_v1_signatures_verifies_so_secrets_can_be_rotated():
    header = f"v1={signature('whsec_old-secret-0123456', NOW, BODY)}, v1={signature(SECRET, NOW, BODY)}"
    assert verify(SECRET, str(NOW), header, BODY, now=NOW)


def test_malformed_headers_do_not_verify():
    good = signature(SECRET, NOW, BODY)
    assert not verify(SECRET, "yesterday", f"v1={good}", BODY, now=NOW)
    assert not verify(SECRET, str(NOW), good, BODY, now=NOW)  # no scheme
    assert not verify(SECRET, str(NOW), f"v0={good}", BODY, now=NOW)
    assert not verify(SECRET, str(NOW), "", BODY, now=NOW)
