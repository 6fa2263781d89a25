"""Scanned pages need Debian's Tesseract: `make install` puts it in where it may (as root). Elsewhere the
OCR tests skip with what to install, except in CI, where a missing Tesseract fails them."""

import os
import shutil

import pytest


@pytest.fixture
def tesseract() -> None:
    if shutil.which("tesseract") is None:
        message = "Tesseract is missing: apt-get install tesseract-ocr (make install does, as root)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
