"""Bulk order files (CSV, XLSX) for B2B."""
