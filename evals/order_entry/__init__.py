"""Order entry evaluation: generated purchase orders and invoices with their ground truth, and a runner
that scores the document extractor on them (field accuracy, line precision/recall/F1, time per page)."""
