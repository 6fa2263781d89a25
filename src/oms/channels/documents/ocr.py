"""Image-only pages read by Tesseract: the page rendered by pdfium at 300 dpi, words with their boxes
scaled back to PDF points, so the extractor sees the same structure as for a text page."""

import os
import shutil
import statistics

import pypdfium2
import pytesseract

from oms.channels.documents.layout import Word
from oms.channels.documents.model import DocumentFailure
from oms.channels.documents.ruling import without_rules

DPI = 300
LANGUAGES = ("deu", "fra", "spa", "ita", "nld", "eng")  # English last: first, it reads "Alcalá" as "Alcala"
_FIELDS = ("text", "conf", "left", "top", "width", "height", "block_num", "par_num", "line_num")
_SHORTEST_RUN = 200  # pixels at 300 dpi between a line's first and last word to measure a slope on
_AS_ONE_BLOCK = "--psm 6"  # the page as one block of lines: automatic layout drops a table's lone digits
MINIMUM_CONFIDENCE = 30  # Tesseract's own 0-100 score; lower readings are mostly specks and ruling lines
# Tesseract's OpenMP threads fight each other and the API's own threads for the cores: one thread per page
# read is faster here (1.5 s against 2.5 s a page on two cores) and lets concurrent uploads share the CPU.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
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
        image = without_rules(page.render(scale=DPI / 72).to_pil())
    finally:
        page.close()
    data = pytesseract.image_to_data(
        image, lang=languages, config=_AS_ONE_BLOCK, output_type=pytesseract.Output.DICT
    )
    image.close()
    return _words(data, 72 / DPI)


def _words(data: dict[str, list], scale: float) -> list[Word]:
    """The words Tesseract is sure enough of, straightened: a page scanned a little askew has each line's
    words drift up or down across the page, which would split a table row into several lines."""
    boxes = [
        box
        for box in zip(*(data[key] for key in _FIELDS), strict=True)
        if box[0].strip(" |") and float(box[1]) >= MINIMUM_CONFIDENCE  # "|": what is left of a rule
    ]
    slope = _skew(boxes)
    words = []
    for text, _, left, top, width, height, *_ in boxes:
        shift = slope * (left + width / 2)
        box = (left * scale, (left + width) * scale, (top - shift) * scale, (top + height - shift) * scale)
        words.append(Word(text.strip(" |"), *box, height * scale))
    return words


def _skew(boxes: list[tuple]) -> float:
    """The page's slope (pixels down per pixel right): the median over Tesseract's own text lines of the
    drift of their words' bottoms from first to last word, on the longest lines (a descender moves a
    bottom by a few pixels, which a short line would read as a slope)."""
    lines: dict[tuple, list[tuple]] = {}
    for box in boxes:
        lines.setdefault(box[6:], []).append(box)
    slopes: list[tuple[int, float]] = []
    for words in lines.values():
        first, last = min(words, key=lambda b: b[2]), max(words, key=lambda b: b[2])
        run = last[2] - first[2]
        if run > _SHORTEST_RUN:
            slopes.append((run, ((last[3] + last[5]) - (first[3] + first[5])) / run))
    longest = [slope for run, slope in slopes if run >= 2 * _SHORTEST_RUN] or [slope for _, slope in slopes]
    return statistics.median(longest) if longest else 0.0
