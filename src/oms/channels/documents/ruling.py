"""Ruling lines and box borders wiped from a scanned page before OCR: Tesseract reads a line of text
that touches a border as noise, and drops a boxed value or a ruled table's cells."""

import numpy as np
from PIL import Image

DARK = 128
LONGEST_GLYPH = 60  # pixels at 300 dpi (5 mm): a dark run longer than any character is a rule


def without_rules(image: Image.Image) -> Image.Image:
    grey = np.asarray(image.convert("L"))
    dark = grey < DARK
    rules = _long_runs(_thickened(dark)) | _long_runs(_thickened(dark.T)).T
    cleaned = grey.copy()
    cleaned[rules] = 255
    return Image.fromarray(cleaned)


def _thickened(dark: np.ndarray) -> np.ndarray:
    """Each dark pixel spread a pixel up and down, so a rule scanned a little askew (a step every 60
    pixels at one degree) still makes one unbroken run."""
    spread = dark.copy()
    spread[1:] |= dark[:-1]
    spread[:-1] |= dark[1:]
    return spread


def _long_runs(dark: np.ndarray) -> np.ndarray:
    """The pixels of each row's dark runs of LONGEST_GLYPH pixels or more."""
    runs = np.zeros_like(dark)
    edges = np.diff(np.pad(dark.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    for row in np.flatnonzero(dark.sum(axis=1) >= LONGEST_GLYPH):
        starts, ends = np.flatnonzero(edges[row] == 1), np.flatnonzero(edges[row] == -1)
        for start, end in zip(starts, ends, strict=True):
            if end - start >= LONGEST_GLYPH:
                runs[row, start:end] = True
    return runs
