"""Feature columns to the matrix the classifier takes: categories become codes from the training window's
vocabulary (unseen or rare ones become missing), and the node load is also read against what is usual
for that node, since a busy day at a small store is a quiet one at the main warehouse."""

from collections import Counter
from statistics import median

import numpy as np

from oms.ml.delay_features import CATEGORICAL, LOAD

MAX_CATEGORIES = 250  # HistGradientBoosting codes categories below max_bins (255)
LOAD_RATIO = "node_load_ratio"


class FeatureEncoder:
    def __init__(self, numeric: list[str], vocabularies: dict[str, list[str]], usual_load: dict[str, float]):
        self.numeric = numeric
        self.vocabularies = vocabularies
        self.usual_load = usual_load
        self._codes = {name: {v: i for i, v in enumerate(values)} for name, values in vocabularies.items()}

    @classmethod
    def fit(cls, columns: dict[str, list]) -> "FeatureEncoder":
        numeric = [name for name in columns if name not in CATEGORICAL]
        vocabularies = {name: _vocabulary(columns[name]) for name in CATEGORICAL}
        return cls(numeric, vocabularies, _usual_load(columns["node_id"], columns[LOAD]))

    @property
    def names(self) -> list[str]:
        return [*CATEGORICAL, *self.numeric, LOAD_RATIO]

    @property
    def categorical_mask(self) -> list[bool]:
        return [name in CATEGORICAL for name in self.names]

    @property
    def monotonic_cst(self) -> list[int]:
        """+1 on node load: more shipments ahead at the node never make a parcel less likely late."""
        return [1 if name in (LOAD, LOAD_RATIO) else 0 for name in self.names]

    def transform(self, columns: dict[str, list]) -> np.ndarray:
        coded = [[self._codes[name].get(v, np.nan) for v in columns[name]] for name in CATEGORICAL]
        numeric = [columns[name] for name in self.numeric]
        return np.column_stack([*coded, *numeric, self._load_ratio(columns)]).astype(float)

    def _load_ratio(self, columns: dict[str, list]) -> list[float]:
        fallback = median(self.usual_load.values()) if self.usual_load else 1.0
        return [
            load / max(self.usual_load.get(node, fallback), 1.0)
            for node, load in zip(columns["node_id"], columns[LOAD], strict=True)
        ]


def _vocabulary(values: list[str]) -> list[str]:
    """The most frequent values; a category seen fewer than five times is too thin to learn from."""
    return [v for v, n in Counter(values).most_common(MAX_CATEGORIES) if n >= 5]


def _usual_load(nodes: list[str], loads: list[int]) -> dict[str, float]:
    per_node: dict[str, list[int]] = {}
    for node, load in zip(nodes, loads, strict=True):
        per_node.setdefault(node, []).append(load)
    return {node: float(median(values)) for node, values in per_node.items()}
