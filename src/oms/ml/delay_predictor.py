"""The delay model: P(late) for a shipment, with the reasons behind it, stored with its version,
training window and metrics. `oms.ml.delay_model.train_delay_model` fits it."""

import io
import warnings
from collections.abc import Sequence
from pathlib import Path

import joblib
import numpy as np
import sklearn
from threadpoolctl import threadpool_limits

from oms.ml.delay_encoding import FeatureEncoder
from oms.ml.delay_explain import contributions
from oms.ml.delay_features import Cutoffs, build_features
from oms.ml.delay_rows import ShipmentRecord

# One OpenMP thread: on a shared machine (API workers, the worker, CI's two cores) the boosted trees' threads
# spin against each other; measured 1 s on one thread against 17 s on two busy cores for 9,000 rows.
SINGLE_THREAD = {"limits": 1, "user_api": "openmp"}
Reason = tuple[str, str, float]  # (feature, its value as shown to a person, effect on P(late))


class DelayModelError(ValueError):
    """A file or blob that is not a delay model this code can use."""


class DelayModel:
    def __init__(self, classifier, encoder: FeatureEncoder, cutoffs: Cutoffs, reference: np.ndarray,
                 metadata: dict):  # fmt: skip
        self.classifier = classifier  # boosted trees calibrated by Platt scaling: smooth, so effects show
        self.encoder = encoder
        self.cutoffs = dict(cutoffs)
        self.reference = reference  # a typical shipment's features, to measure each feature's effect
        self.metadata = metadata

    @property
    def version(self) -> str:
        return self.metadata["version"]

    def predict(
        self, records: Sequence[ShipmentRecord], *, context: Sequence[ShipmentRecord] = ()
    ) -> np.ndarray:
        """P(late) per record; `context` (e.g. recent history) only counts towards node load."""
        if not records:
            return np.zeros(0)
        return self.predict_matrix(self._matrix(records, context)[0])

    def explain(
        self, records: Sequence[ShipmentRecord], top: int = 3, *, context: Sequence[ShipmentRecord] = ()
    ) -> list[list[Reason]]:
        """The `top` features pushing each record's P(late) up the most, strongest first."""
        if not records:
            return []
        matrix, columns = self._matrix(records, context)
        effects = contributions(self.predict_matrix, matrix, self.reference)
        names = self.encoder.names
        shown = [[_shown(v) for v in columns.get(name, matrix[:, j])] for j, name in enumerate(names)]
        return [
            [(names[j], shown[j][i], float(effects[i, j])) for j in np.argsort(-effects[i])[:top]]
            for i in range(len(records))
        ]

    def _matrix(self, records, context) -> tuple[np.ndarray, dict[str, list]]:
        columns = build_features(records, context=context, cutoffs=self.cutoffs)
        return self.encoder.transform(columns), columns

    def predict_matrix(self, matrix: np.ndarray) -> np.ndarray:
        with threadpool_limits(**SINGLE_THREAD):
            return self.classifier.predict_proba(matrix)[:, 1]

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes) -> "DelayModel":
        """Only for blobs this OMS wrote: unpickling runs code, so never load a model from a stranger."""
        try:
            model = joblib.load(io.BytesIO(blob))
        except Exception as error:  # joblib raises anything from pickle, zlib, EOFError...
            raise DelayModelError(f"not a delay model ({type(error).__name__}: {error})") from error
        if not isinstance(model, cls):
            raise DelayModelError(f"not a delay model (it holds a {type(model).__name__})")
        _warn_on_version(model.metadata.get("sklearn_version"))
        return model

    def save(self, path: Path | str) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: Path | str) -> "DelayModel":
        try:
            blob = Path(path).read_bytes()
        except OSError as error:
            raise DelayModelError(f"{path}: cannot read the model ({error.strerror})") from error
        try:
            return cls.from_bytes(blob)
        except DelayModelError as error:
            raise DelayModelError(f"{path}: {error}") from error


def _shown(value) -> str:
    return f"{round(value, 2):g}" if isinstance(value, float) else str(value)


def _warn_on_version(trained_with: str | None) -> None:
    if trained_with != sklearn.__version__:
        warnings.warn(
            f"the delay model was trained with scikit-learn {trained_with}, this is {sklearn.__version__}: "
            "retrain it if its predictions look wrong",
            stacklevel=3,
        )
