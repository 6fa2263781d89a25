"""Image-only versions of generated PDFs, as a scanner makes them: each page rendered at 200 dpi in grey,
turned by up to a degree, on a grainy grey, and written back as a PDF of images with no text layer, for
the OCR path."""

import io
import random
from dataclasses import replace

import pypdfium2 as pdfium
from PIL import Image

from evals.order_entry.sample import Sample

DPI = 200
NOISE = 60  # the grain's standard deviation, in grey levels


def scanned(sample: Sample, rng: random.Random) -> Sample:
    document = pdfium.PdfDocument(sample.pdf)
    try:
        angle = rng.uniform(-1, 1)
        pages = [_scan(page, angle) for page in document]
    finally:
        document.close()
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=DPI)
    return replace(sample, name=f"{sample.name}-scan", pdf=buffer.getvalue(), kind="scan")


def _scan(page, angle: float) -> Image.Image:
    image = page.render(scale=DPI / 72).to_pil().convert("L")
    grain = Image.effect_noise(image.size, NOISE)  # a scanner's grey, grainy paper
    return Image.blend(image, grain, 0.06).rotate(angle, fillcolor=250)
