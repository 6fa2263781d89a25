"""An offline text embedding for matching a document's descriptions to the catalogue and its buyer to
known customers: words and character n-grams of the normalised text, hashed (signed) into a fixed number
of dimensions and scaled to unit length, so cosine similarity measures shared wording. It needs no model
download, and the same text always gives the same vector."""

import re
import unicodedata
import zlib

import numpy as np

DIMENSIONS = 256  # oms.db.tables.EMBEDDING_DIMENSIONS
_NGRAMS = (3, 4)
_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, accents dropped, runs of anything but letters and digits as one space."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_WORD.findall(plain))


def features(text: str) -> list[str]:
    words = normalise(text).split()
    grams = [f"w:{word}" for word in words]
    for word in words:
        padded = f" {word} "
        grams += [padded[i : i + n] for n in _NGRAMS for i in range(len(padded) - n + 1)]
    return grams


def embed(text: str) -> list[float] | None:
    """The unit vector of `text`, or None when it has no letter or digit."""
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    for gram in features(text):
        code = zlib.crc32(gram.encode())
        vector[code % DIMENSIONS] += 1.0 if code & 0x80000000 else -1.0
    norm = float(np.linalg.norm(vector))
    return None if norm == 0 else (vector / norm).tolist()


def similarity(a: list[float] | None, b: list[float] | None) -> float:
    """Cosine similarity of two unit vectors, 0 when either is missing."""
    return 0.0 if a is None or b is None else float(np.dot(a, b))
