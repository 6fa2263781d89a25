"""Where a carrier rule applies: an origin country, a destination country and a distance band, each
optional (a blank is a wildcard). Transit rules and rate cards share this scope, and the same
precedence: the destination counts most, then the origin, then a band, and among bands the tightest."""


def in_scope(
    origin_country: str | None, dest_country: str | None, max_distance_km: float | None,
    origin: str, dest: str, distance_km: float,
) -> bool:  # fmt: skip
    return (
        origin_country in (None, origin)
        and dest_country in (None, dest)
        and (max_distance_km is None or distance_km <= max_distance_km)
    )


def specificity(origin_country: str | None, dest_country: str | None, max_distance_km: float | None) -> tuple:
    """Sort key: the smallest is the most specific scope."""
    weight = 4 * (dest_country is not None) + 2 * (origin_country is not None) + (max_distance_km is not None)
    return (-weight, max_distance_km if max_distance_km is not None else float("inf"))
