"""Demo data of a believable mid-market apparel and outdoor retailer (FR, DE, BE, NL): channels, a
network of warehouses, 3PLs and stores, ~400 SKUs with stock and inbound supply, customers, and a year
of orders and shipments whose lead times vary the way real ones do (see lateness.py) and whose carriers
bill more than quoted the way real ones do (billing.py), for the agents to learn from. `seed_demo` loads
it all into an empty database in one transaction."""

from oms.services.demo.seed import DEFAULT_DAYS, DemoDataExists, SeedReport, seed_demo, seed_demo_if_empty

__all__ = ["DEFAULT_DAYS", "DemoDataExists", "SeedReport", "seed_demo", "seed_demo_if_empty"]
