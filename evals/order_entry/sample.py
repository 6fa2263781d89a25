"""One generated document: the PDF, its ground truth and what the report groups it by."""

from dataclasses import dataclass

from oms.channels.documents.model import ExtractedDocument


@dataclass(frozen=True)
class Sample:
    name: str
    pdf: bytes
    truth: ExtractedDocument
    skus: list[str]  # the catalogue SKU each line is, whatever code the document prints
    language: str
    layout: str
    kind: str  # text, scan or letter

    def truth_json(self) -> dict:
        return {
            "document": self.truth.model_dump(mode="json"),
            "skus": self.skus,
            "language": self.language,
            "layout": self.layout,
            "kind": self.kind,
        }
