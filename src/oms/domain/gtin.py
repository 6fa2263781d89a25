"""GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) barcodes: the last digit checks the others, so a mistyped or
truncated code is caught before it reaches a scanner."""

GTIN_LENGTHS = (8, 12, 13, 14)


def check_digit(payload: str) -> int:
    """The GS1 check digit of `payload` (the code without its last digit): weights 3 and 1 alternate
    from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return (10 - total % 10) % 10


def is_valid_gtin(code: str) -> bool:
    return (
        code.isascii()
        and code.isdigit()
        and len(code) in GTIN_LENGTHS
        and check_digit(code[:-1]) == int(code[-1])
    )
