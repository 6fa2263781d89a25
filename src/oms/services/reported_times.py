"""When a WMS or a carrier says something happened: with a time zone, not before 2000 and not in the
future. Clocks and zones at the far end are not always right (a day of tolerance ahead), but a time
far off is a bug or a placeholder (0001-01-01 is common); stored, it would skew every SLA figure, and
one before year 1 in UTC cannot even be read back, leaving its fulfilment order or shipment unreadable."""

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FUTURE_TOLERANCE = dt.timedelta(days=1)


def _plausible(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:
        raise ValueError("give a time zone (e.g. 2026-03-10T09:00:00Z)")
    if at < EARLIEST:
        raise PydanticCustomError("too_early", "is before 2000")
    if at > dt.datetime.now(dt.UTC) + FUTURE_TOLERANCE:
        raise PydanticCustomError("in_future", "is in the future")
    return at


ReportedAt = Annotated[dt.datetime, AfterValidator(_plausible)]
