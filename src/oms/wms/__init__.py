"""Sending release documents to warehouse systems: over HTTP (signed) or as files in a drop directory."""
