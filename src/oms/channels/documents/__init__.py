"""Purchase orders and invoices as PDF: read (pdfplumber, or Tesseract for scans) and extracted by layout
into an ExtractedDocument. Nothing here knows the database; oms.services resolves and validates."""
