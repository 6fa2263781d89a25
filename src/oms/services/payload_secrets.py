"""Secrets a channel's payload may carry, masked for showing it to a person: an X12 interchange's
authorization and security information (ISA02, ISA04), and in a JSON body (Shopify, a marketplace) the
string or number values of keys that name a token, secret, password, key, signature or card number. The
stored payload is untouched (the API serves it byte for byte to whoever may read it); the rest of the text
keeps its layout, so a masked interchange still reads as one."""

import base64
import re

MASK = "•"
LATIN_1_MASK = "\xb7"  # "·": the mask in bytes that are not UTF-8, one byte for each byte hidden
# The element separator follows the tag; ISA01..ISA04 come next. Not within a word (a contact named LISA,
# a card brand VISA): only a segment's tag, whose ISA01 and ISA03 are 2 characters, as a real one's are.
_ISA = re.compile(r"(?<![A-Za-z0-9])ISA([^\w\s])")
_SECRET_KEY = r"[^\"\\]*(?:token|secret|password|passwd|(?:api|access|private)[_-]?key|authori[sz]ation|signature|card[_-]?number|cvv|cvc)[^\"\\]*"
# A secret's value: a non-empty string, or a number (a card number or a CVV sent as one).
_JSON_SECRET = re.compile(rf'("{_SECRET_KEY}"\s*:\s*)("(?:[^"\\]|\\.)+"|-?\d[\d.eE+-]*)', re.IGNORECASE)


def masked(body: str, mask: str = MASK) -> str:
    """`body` with the secrets it carries masked (an ISA element by as many mask characters, as it is of
    fixed width)."""
    return _JSON_SECRET.sub(lambda match: _hide_json_value(match, mask), _mask_isa(body, mask))


def masked_payload(body: str, encoding: str) -> str:
    """`masked` for a payload as oms.services.inbound answers it: its text, or the base64 of bytes that are
    not UTF-8 (an interchange in Latin-1, say), masked in those bytes."""
    if encoding == "utf-8":
        return masked(body)
    text = base64.b64decode(body).decode("latin-1")  # a character for each byte, and back
    shown = masked(text, LATIN_1_MASK)
    return body if shown == text else base64.b64encode(shown.encode("latin-1")).decode("ascii")


def _mask_isa(body: str, mask: str) -> str:
    parts, at = [], 0
    for match in _ISA.finditer(body):
        sep, start = match.group(1), match.end()
        elements = body[start:start + 120].split(sep, 4)  # ISA01..ISA04 are 2, 10, 2 and 10 characters
        if match.start() < at or len(elements) < 5 or len(elements[0]) != 2 or len(elements[2]) != 2:
            continue
        isa01, isa02, isa03, isa04 = elements[:4]
        auth_at = start + len(isa01) + 1
        security_at = auth_at + len(isa02) + 1 + len(isa03) + 1
        parts += [body[at:auth_at], _hide(isa02, mask), sep, isa03, sep, _hide(isa04, mask)]
        at = security_at + len(isa04)
    return "".join(parts) + body[at:]


def _hide(value: str, mask: str) -> str:
    """A value as long as it was, masked unless blank (a blank one says only that there is none)."""
    return value if not value.strip() else mask * len(value)


def _hide_json_value(match: re.Match, mask: str) -> str:
    quote = '"' if match.group(2).startswith('"') else ""
    return f"{match.group(1)}{quote}{mask * 8}{quote}"
