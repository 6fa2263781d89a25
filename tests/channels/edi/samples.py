"""Real-shaped 850 interchanges (fixtures/*.x12, one per delimiter style) and ways to break them."""

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
STAR_TILDE = "850_4010_star_tilde_crlf.x12"  # '*' '~' CRLF, '>' component: one PO by SKU, buyer contact
PIPE_CARET = "850_4010_pipe_caret.x12"  # '|' '^', ':' component, no line breaks: two POs by GTIN, a store
TWO_GROUPS = "850_5010_two_groups.x12"  # 005010, '^' repetition, LF: three POs in two functional groups
NEWLINE = "850_4010_newline_terminator.x12"  # LF ends segments: one PO naming a product nobody sells
ALL = (STAR_TILDE, PIPE_CARET, TWO_GROUPS, NEWLINE)
X12 = {"Content-Type": "application/edi-x12"}

# The partner's settings in the tests: a service level for TD5 code ND, a store for location code PAR01.
PARTNER_SETTINGS = {"service_levels": {"ND": "express"}, "stores": {"PAR01": "ST-PARIS"}}


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def replace(name: str, old: str, new: str, count: int = 1) -> bytes:
    """The sample with `old` replaced by `new` (it must be there)."""
    text = sample(name).decode()
    assert old in text, old
    return text.replace(old, new, count).encode()


def post(client, body: bytes, channel: str = "b2b", headers: dict | None = None):
    return client.post(f"/api/v1/channels/{channel}/edi/x12", content=body, headers={**X12, **(headers or {})})
