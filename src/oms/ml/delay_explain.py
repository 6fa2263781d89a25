"""Why a shipment scored high: each feature's effect is how far P(late) falls when that feature alone is
set to a typical shipment's value. Model-agnostic and exact for the calibrated output a manager sees."""

from collections.abc import Callable

import numpy as np

# Rows explained at once: each row is predicted once per feature, so memory grows as rows x features².
CHUNK = 2000


def contributions(
    predict: Callable[[np.ndarray], np.ndarray], matrix: np.ndarray, reference: np.ndarray
) -> np.ndarray:
    """(rows x features) effects: predict(row) - predict(row with feature j set to reference[j])."""
    parts = [_chunk(predict, matrix[i : i + CHUNK], reference) for i in range(0, len(matrix), CHUNK)]
    return np.concatenate(parts) if parts else np.zeros((0, len(reference)))


def _chunk(
    predict: Callable[[np.ndarray], np.ndarray], matrix: np.ndarray, reference: np.ndarray
) -> np.ndarray:
    rows, features = matrix.shape
    base = predict(matrix)
    swapped = np.repeat(matrix[np.newaxis], features, axis=0)  # features x rows x features
    for j in range(features):
        swapped[j, :, j] = reference[j]
    flat = predict(swapped.reshape(features * rows, features)).reshape(features, rows)
    return (base[np.newaxis] - flat).T


def typical_row(matrix: np.ndarray, categorical: list[bool]) -> np.ndarray:
    """Per feature the median, or for a category its most frequent code."""
    reference = np.nanmedian(matrix, axis=0)
    for j in np.flatnonzero(categorical):
        codes, counts = np.unique(matrix[~np.isnan(matrix[:, j]), j], return_counts=True)
        reference[j] = codes[np.argmax(counts)] if len(codes) else np.nan
    return reference
