"""The payload page shows what a channel sent without its secrets: an interchange's ISA02 and ISA04, a
JSON body's tokens, passwords and card numbers. The API still serves the payload byte for byte."""

import base64
import re

from oms.services.actor import Role
from oms.services.payload_secrets import MASK, masked
from tests.channels.edi.samples import PARTNER_SETTINGS, PIPE_CARET, STAR_TILDE, X12, replace, sample
from tests.factories import api_key, set_stock
from tests.web.conftest import as_role

AUTH, SECURITY = "AUTHINFO42", "PASSWORD12"
NO_AUTH = "*00*          *00*          *"


def _with_secrets(name: str, sep: str) -> bytes:
    return replace(name, NO_AUTH.replace("*", sep), f"{sep}03{sep}{AUTH}{sep}01{sep}{SECURITY}{sep}")


def test_isa02_and_isa04_are_masked_to_their_width_whatever_the_separator():
    for name, sep in ((STAR_TILDE, "*"), (PIPE_CARET, "|")):
        body = _with_secrets(name, sep).decode()
        shown = masked(body + "\n" + body)  # two interchanges in one file
        assert AUTH not in shown and SECURITY not in shown
        assert shown.count(f"ISA{sep}03{sep}{MASK * 10}{sep}01{sep}{MASK * 10}{sep}ZZ{sep}") == 2
        assert len(shown) == len(body) * 2 + 1 and shown.replace(MASK, "") == (body + "\n" + body).replace(
            AUTH, "").replace(SECURITY, "")


def test_blank_isa_elements_and_the_rest_of_an_interchange_are_shown_as_sent():
    body = sample(STAR_TILDE).decode()
    assert masked(body) == body


def test_tokens_passwords_and_card_numbers_in_a_json_body_are_masked_and_nothing_else():
    body = ('{"id": 450789469, "token": "b1946ac92492d2347c6235b4d2611184", "cart_token": "68778783ad298f1c",\n'
            ' "email": "camille@example.fr", "payment_details": {"credit_card_number": "4242 4242 4242 4242",\n'
            ' "credit_card_company": "Visa"}, "note_attributes": [{"name": "gift", "value": "yes"}],\n'
            ' "Api_Key": "k\\"ey", "client_secret": "", "password_set": true}')
    shown = masked(body)
    for secret in ("b1946ac92492d2347c6235b4d2611184", "68778783ad298f1c", "4242 4242", 'k\\"ey'):
        assert secret not in shown
    assert '"token": "' + MASK * 8 + '"' in shown and '"client_secret": ""' in shown
    for kept in ('"email": "camille@example.fr"', '"credit_card_company": "Visa"', '"password_set": true', "\n"):
        assert kept in shown


def test_the_payload_page_never_shows_the_interchanges_security_information(web, engine):
    admin = api_key(engine, Role.ADMIN)
    assert web.put("/api/v1/channels/b2b/integration", headers=admin,
                   json={"adapter": "edi", "settings": PARTNER_SETTINGS}).status_code == 200  # fmt: skip
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 50)
    sent = web.post("/api/v1/channels/b2b/edi/x12", content=_with_secrets(STAR_TILDE, "*"),
                    headers=X12 | api_key(engine, Role.OPS))  # fmt: skip
    assert sent.status_code == 201, sent.text
    order_id = sent.json()["transaction_sets"][0]["order_id"]
    as_role(web, engine, Role.OPS)
    page = web.get(f"/orders/{order_id}/payload")
    assert page.status_code == 200 and "ISA*03*" + MASK * 10 in page.text
    assert SECURITY not in page.text and AUTH not in page.text
    raw = web.get(f"/api/v1/inbound-payloads/{sent.json()['payload_id']}", headers=api_key(engine, Role.OPS))
    assert SECURITY in raw.json()["body"]  # the stored payload is as received


def test_isa_inside_another_word_or_segment_masks_nothing():
    body = sample(STAR_TILDE).decode()
    contact = body.replace("~", "~PER*IC*LISA*TE*5551234567~", 2)  # a contact named LISA after the ISA
    assert masked(contact) == contact
    brand = '{"card_brand":"VISA","last4":"4242","name":"Lisa","note":"ISA*rest*of*it*here"}'
    assert masked(brand) == brand


def test_camel_case_and_numeric_card_numbers_and_access_keys_are_masked():
    body = ('{"cardNumber": "4111111111111111", "card-number": 5500005555555559, "cvv": 123, "quantity": 2,'
            ' "X-Api-Key": "xk-1", "accessKey": "ak-2", "private_key": "pk-3", "key": "blue"}')  # fmt: skip
    shown = masked(body)
    assert "4111" not in shown and "5500" not in shown and "123" not in shown and '"quantity": 2' in shown
    assert "xk-1" not in shown and "ak-2" not in shown and "pk-3" not in shown and '"key": "blue"' in shown


def test_a_latin_1_interchange_shown_base64_encoded_carries_no_security_information(web, engine):
    admin = api_key(engine, Role.ADMIN)
    assert web.put("/api/v1/channels/b2b/integration", headers=admin,
                   json={"adapter": "edi", "settings": PARTNER_SETTINGS}).status_code == 200  # fmt: skip
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 50)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", 50)
    latin_1 = _with_secrets(STAR_TILDE, "*").decode().replace("Reception", "Réception").encode("latin-1")
    sent = web.post("/api/v1/channels/b2b/edi/x12", content=latin_1, headers=X12 | api_key(engine, Role.OPS))
    assert sent.status_code == 201, sent.text
    as_role(web, engine, Role.OPS)
    page = web.get(f"/orders/{sent.json()['transaction_sets'][0]['order_id']}/payload")
    assert page.status_code == 200 and "shown base64-encoded" in page.text
    shown = base64.b64decode(re.search(r"<pre class=\"payload\"><code>([^<]+)</code>", page.text).group(1)).decode("latin-1")
    assert AUTH not in shown and SECURITY not in shown and "Réception" in shown
    assert len(shown) == len(latin_1)  # masked to the width of what it hides
