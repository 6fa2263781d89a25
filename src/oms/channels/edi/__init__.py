"""EDI X12: 850 purchase orders in, 855 acknowledgements and 856 ship notices out."""
