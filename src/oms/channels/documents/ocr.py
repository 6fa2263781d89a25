"""Image-only pages read by Tesseract: the page rendered by pdfium at 300 dpi, words with their boxes
scaled back to PDF points, so the extractor sees the same structure as for a text page."""

import shutil

import pypdfium2
import pytesseract

from oms.channels.documents.layout import Word
from oms.channels.documents.model import DocumentFailure

DPI = 300
LANGUAGES = ("eng", "fra", "deu", "nld", "spa", "ita")
MINIMUM_CONFIDENCE = 30  # Tesseract's own 0-100 score; lower readings are mostly specks and ruling lines
_MISSING = (
    "this PDF has scanned pages (images without text); scanned pages need Tesseract OCR: apt-get install "
    "tesseract-ocr, with tesseract-ocr-deu, -fra, -nld, -spa and -ita for those languages"
)


def installed_languages() -> str:
    """The wanted languages Tesseract has, joined for its -l option; DocumentFailure when it is missing."""
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise DocumentFailure("no_text", _MISSING)
    available = set(pytesseract.get_languages(config=""))
    return "+".join(language for language in LANGUAGES if language in available) or "eng"


def ocr_words(document: pypdfium2.PdfDocument, index: int, languages: str) -> list[Word]:
    page = document[index]
    try:
        image = page.render(scale=DPI / 72).to_pil()
    finally:
        page.close()
    data = pytesseract.image_to_data(image, lang=languages, output_type=pytesseract.Output.DICT)
    image.close()
    return _words(data, 72 / DPI)


def _words(data: dict[str, list], scale: float) -> list[Word]:
    words = []
    for text, confidence, left, top, width, height in zip(
        data["text"], data["conf"], data["left"], data["top"], data["width"], data["height"], strict=True
    ):
        if text.strip() and float(confidence) >= MINIMUM_CONFIDENCE:
            words.append(
                Word(
                    text.strip(),
                    left * scale,
                    (left + width) * scale,
                    top * scale,
                    (top + height) * scale,
                    height * scale,
                )
            )
    return words
