"""How well P(late) ranks and how honest it is, on the later validation window: ROC-AUC (ranking),
precision at 100 (of the hundred riskiest parcels, the share really late: what a manager would chase),
Brier score and log loss (calibration). The per-carrier baseline is what a manager knows without a model:
each carrier's late rate."""

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from oms.ml.delay_rows import ShipmentRecord, is_late

TOP_K = 100


def late_labels(records: Sequence[ShipmentRecord]) -> np.ndarray:
    return np.array([is_late(r) for r in records], dtype=int)


def score(late: np.ndarray, p_late: np.ndarray) -> dict[str, float]:
    top = np.argsort(-p_late, kind="stable")[:TOP_K]
    return {
        "roc_auc": float(roc_auc_score(late, p_late)),
        f"precision_at_{TOP_K}": float(late[top].mean()),
        "brier": float(brier_score_loss(late, p_late)),
        "log_loss": float(log_loss(late, np.clip(p_late, 1e-6, 1 - 1e-6), labels=[0, 1])),
        "late_rate": float(late.mean()),
        "rows": len(late),
    }


class CarrierBaseline:
    """Each carrier's late rate over the training window (the overall rate for a carrier not seen)."""

    def __init__(self, records: Sequence[ShipmentRecord]):
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in records:
            counts[r.carrier][0] += is_late(r)
            counts[r.carrier][1] += 1
        self.overall = float(late_labels(records).mean())
        self.rates = {carrier: late / total for carrier, (late, total) in counts.items()}

    def predict(self, records: Sequence[ShipmentRecord]) -> np.ndarray:
        return np.array([self.rates.get(r.carrier, self.overall) for r in records])
