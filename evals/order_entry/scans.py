"""Image-only versions of generated PDFs, as a scanner makes them: each page rendered at 200 dpi in grey,
turned by up to a degree, on a grainy grey, and written back as a PDF of images with no text layer, for
the OCR path."""

import datetime as dt
import io
import random
from dataclasses import replace

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from evals.order_entry.sample import Sample

DPI = 200
NOISE = 60  # the grain's standard deviation, in grey levels
SCANNED = dt.datetime(2026, 1, 5, 9, 0).timetuple()  # the same seed gives the same bytes


def scanned(sample: Sample, rng: random.Random) -> Sample:
    document = pdfium.PdfDocument(sample.pdf)
    try:
        angle, grain = rng.uniform(-1, 1), np.random.default_rng(rng.randrange(2**32))
        pages = [_scan(page, angle, grain) for page in document]
    finally:
        document.close()
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=DPI,
                  creationDate=SCANNED, modDate=SCANNED)  # fmt: skip
    return replace(sample, name=f"{sample.name}-scan", pdf=buffer.getvalue(), kind="scan")


def _scan(page, angle: float, grain: np.random.Generator) -> Image.Image:
    image = page.render(scale=DPI / 72).to_pil().convert("L")
    noise = grain.normal(128, NOISE, (image.height, image.width)).clip(0, 255).astype(np.uint8)
    paper = Image.blend(image, Image.fromarray(noise, "L"), 0.06)  # a scanner's grey, grainy paper
    return paper.rotate(angle, fillcolor=250)
