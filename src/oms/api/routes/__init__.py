"""Every router of the API, mounted under /api/v1 by oms.api.app.

A request is matched against the routes in this order, so the hottest paths (promise, order capture,
WMS and carrier events) come first: each route tried before the right one costs a regular-expression
match."""

from oms.api.routes import (
    alerts,
    anomalies,
    anomaly_scans,
    assistant,
    atp,
    catalog,
    channels,
    edi,
    fulfilment,
    health,
    import_runs,
    inventory,
    marketplace,
    ml_models,
    network,
    order_drafts,
    order_imports,
    orders,
    promise,
    reports,
    returns,
    routing,
    routing_proposals,
    routing_reliability,
    shipment_charges,
    shopify,
    sla,
    stockouts,
    supply,
    tracking,
    webhooks,
    wms,
)

ROUTERS = [
    promise.router,
    import_runs.router,  # before orders: GET /orders/import-runs is not GET /orders/{order_id}
    orders.router, wms.router, tracking.router, shipment_charges.router, atp.router, health.router,
    catalog.router, network.router, inventory.router, supply.router,
    routing.router, routing_reliability.router, routing_proposals.router,
    fulfilment.router,
    webhooks.router,
    returns.router,
    alerts.router, sla.router, reports.router, anomalies.router, stockouts.router, ml_models.router,
    anomaly_scans.router,
    channels.router,
    marketplace.router,
    order_imports.router,  # POST /orders/imports: no POST route has /orders/{order_id}, so none clashes
    edi.router,
    shopify.router,
    assistant.router,
    order_drafts.router,
]  # fmt: skip
