"""Pure domain rules: no database, no web framework, no network."""
