"""Field types shared by the reference-data commands, with messages a person fixing a CSV can act on."""

import re
from typing import Annotated

from pydantic import AfterValidator, Field, PlainSerializer
from pydantic_core import PydanticCustomError

MAX_QUANTITY = 1_000_000_000  # stays inside PostgreSQL's integer, so a typo is a 422 and not a crash


def matching(pattern: str, code: str, message: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(code, message)
        return value

    return AfterValidator(check)


_CODE = r"[A-Za-z0-9._-]+"
Sku = Annotated[
    str, Field(min_length=1, max_length=64), matching(_CODE, "sku", "only letters, digits, '.', '_' and '-'")
]
NodeId = Annotated[
    str,
    Field(min_length=1, max_length=40),
    matching(_CODE, "node_id", "only letters, digits, '.', '_' and '-'"),
]
Quantity = Annotated[int, Field(ge=0, le=MAX_QUANTITY)]
Text = Annotated[str, Field(min_length=1, max_length=200)]

# Decimals travel as JSON numbers, as clients send them; the database keeps them exact.
AsNumber = PlainSerializer(float, return_type=float, when_used="json")
