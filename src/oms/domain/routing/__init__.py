"""The routing engine's pure core: profiles as data, rates, filters, scoring, plan search, selection."""
