"""Table definitions (SQLAlchemy Core). Alembic migrations are the source of truth for the live schema;
these definitions mirror them so queries are typed and `alembic check` can spot drift."""

from pgvector.sqlalchemy import Vector
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _created_at() -> Column:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


def _updated_at() -> Column:
    return Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now())


channels = Table(
    "channels",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("type", String(20), nullable=False),
    _created_at(),
    CheckConstraint("type IN ('web','marketplace','store','b2b','call_center','edi')", name="type"),
)

EMBEDDING_DIMENSIONS = 256  # oms.domain.text_embedding

customers = Table(
    "customers",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("tier", String(20), nullable=False, server_default="standard"),
    Column("phone", String(40)),
    _created_at(),
    Column("embedding", Vector(EMBEDDING_DIMENSIONS)),  # of the name: a document's buyer matched by it
)

products = Table(
    "products",
    metadata,
    Column("sku", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("unit_price", Numeric(12, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("barcode", String(32), unique=True),
    Column("weight_kg", Numeric(10, 3), nullable=False, server_default="0"),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("final_sale", Boolean, nullable=False, server_default=text("false")),  # never returned (issue 03)
    _created_at(),
    _updated_at(),
    Column("embedding", Vector(EMBEDDING_DIMENSIONS)),  # of name and description: documents' lines matched by it
    CheckConstraint("unit_price >= 0", name="price_not_negative"),
)

nodes = Table(
    "nodes",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("type", String(20), nullable=False),
    Column("line1", String(200), nullable=False),
    Column("postal_code", String(20), nullable=False),
    Column("city", String(100), nullable=False),
    Column("country", String(2), nullable=False),
    Column("lat", Numeric(9, 6), nullable=False),
    Column("lon", Numeric(9, 6), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("processing_days", Integer, nullable=False, server_default="1"),
    Column("cutoff_time", Time, nullable=False, server_default=text("'14:00'")),
    Column("daily_capacity", Integer, nullable=False, server_default="1000"),
    Column("priority", Integer, nullable=False, server_default="100"),
    Column("fulfilment_types", ARRAY(String(20)), nullable=False, server_default=text("'{ship}'")),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    _created_at(),
    CheckConstraint("type IN ('warehouse','3pl','store','dropship')", name="type"),
    CheckConstraint("processing_days >= 0 AND daily_capacity >= 0", name="non_negative"),
)

inventory = Table(
    "inventory",
    metadata,
    Column("node_id", String(40), ForeignKey("nodes.id"), primary_key=True),
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("on_hand", Integer, nullable=False, server_default="0"),
    Column("reserved", Integer, nullable=False, server_default="0"),
    Column("safety_stock", Integer, nullable=False, server_default="0"),
    _updated_at(),
    CheckConstraint("on_hand >= 0 AND reserved >= 0 AND safety_stock >= 0", name="non_negative"),
    Index("ix_inventory_sku", "sku"),
)

inbound_supply = Table(
    "inbound_supply",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("node_id", String(40), ForeignKey("nodes.id"), nullable=False),
    Column("sku", String(64), ForeignKey("products.sku"), nullable=False),
    Column("type", String(20), nullable=False),
    Column("reference", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("expected_date", Date, nullable=False),
    Column("status", String(20), nullable=False, server_default="open"),
    _created_at(),
    CheckConstraint("type IN ('purchase_order','transfer','asn')", name="type"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_inbound_supply_sku_open", "sku", postgresql_where=text("status = 'open'")),
)

channel_protections = Table(
    "channel_protections",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("channel_id", String(40), ForeignKey("channels.id"), nullable=False),
    Column("sku", String(64), ForeignKey("products.sku")),  # null: every SKU
    Column("node_id", String(40), ForeignKey("nodes.id")),  # null: every node
    Column("quantity", Integer),
    Column("share", Numeric(5, 4)),
    _created_at(),
    CheckConstraint(
        "(quantity IS NULL) <> (share IS NULL) AND coalesce(quantity, 0) >= 0 AND coalesce(share, 0) BETWEEN 0 AND 1",
        name="quantity_or_share",
    ),
)

ORDER_SOURCES = "'api','shopify','marketplace','edi','bulk','document'"

orders = Table(
    "orders",
    metadata,
    Column("id", BigInteger, Identity(start=1001), primary_key=True),
    Column("channel_id", String(40), ForeignKey("channels.id"), nullable=False),
    Column("external_id", String(100), nullable=False),
    Column("customer_id", BigInteger, ForeignKey("customers.id"), nullable=False),
    Column("status", String(24), nullable=False),
    Column("hold_type", String(24)),
    Column("hold_reason", String(500)),
    Column("service_level", String(16), nullable=False),
    Column("pickup_node_id", String(40), ForeignKey("nodes.id")),
    Column("ship_to", JSONB, nullable=False),
    Column("ship_to_country", String(2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total_amount", Numeric(14, 2), nullable=False),
    Column("promised_ship_date", Date),
    Column("promised_delivery_date", Date),
    Column("notes", Text),
    Column("capture_hash", String(64), nullable=False),  # a retry must carry the same order
    Column("version", Integer, nullable=False, server_default="1"),
    _created_at(),
    _updated_at(),
    # Where the order came from (0015): the adapter, the payload as received, and where in it.
    Column("source", String(20), nullable=False, server_default="api"),
    Column("source_payload_id", BigInteger, ForeignKey("inbound_payloads.id", use_alter=True)),
    Column("source_ref", String(100)),
    CheckConstraint(f"source IN ({ORDER_SOURCES})", name="source"),
    UniqueConstraint("channel_id", "external_id", name="uq_orders_channel_external"),
    Index("ix_orders_created_at", "created_at"),
    Index("ix_orders_status", "status"),
    Index("ix_orders_customer_id", "customer_id"),
    Index("ix_orders_source_payload_id", "source_payload_id", postgresql_where=text("source_payload_id IS NOT NULL")),
)

order_lines = Table(
    "order_lines",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("order_id", BigInteger, ForeignKey("orders.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("sku", String(64), ForeignKey("products.sku"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_price", Numeric(12, 2), nullable=False),
    Column("status", String(24), nullable=False),
    Column("external_line_id", String(100)),  # the channel's own line reference (0015): acknowledgements
    UniqueConstraint("order_id", "line_no", name="uq_order_lines_order_line_no"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
)

allocations = Table(
    "allocations",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("order_id", BigInteger, ForeignKey("orders.id"), nullable=False),
    Column("order_line_id", BigInteger, ForeignKey("order_lines.id"), nullable=False),
    Column("node_id", String(40), ForeignKey("nodes.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    _created_at(),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_allocations_order_node", "order_id", "node_id"),
)

shipments = Table(
    "shipments",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("order_id", BigInteger, ForeignKey("orders.id"), nullable=False),
    Column("node_id", String(40), ForeignKey("nodes.id"), nullable=False),
    Column("carrier", String(40), nullable=False),
    Column("service_level", String(16), nullable=False),
    Column("tracking_number", String(64)),
    Column("status", String(24), nullable=False),
    Column("units", Integer, nullable=False),
    Column("weight_kg", Numeric(10, 3), nullable=False, server_default="0"),
    Column("distance_km", Numeric(8, 1)),
    Column("released_at", DateTime(timezone=True)),
    Column("shipped_at", DateTime(timezone=True)),
    Column("promised_delivery_date", Date),
    Column("delivered_at", DateTime(timezone=True)),
    # migration 0026: what routing's rate table quoted for the parcel, and what the carrier charged
    Column("quoted_cost", Numeric(10, 2)),
    Column("charged_cost", Numeric(10, 2)),
    _created_at(),
    Index("ix_shipments_order_id", "order_id"),
    # migration 0025: the delay model's node load reads the shipments released since a time
    Index("ix_shipments_released", text("coalesce(released_at, created_at)")),
)

transit_rules = Table(
    "transit_rules",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("carrier", String(40), nullable=False),
    Column("service_level", String(16), nullable=False),
    Column("origin_country", String(2)),  # null: any
    Column("dest_country", String(2)),  # null: any
    Column("max_distance_km", Integer),  # null: no distance limit
    Column("transit_days", Integer, nullable=False),
    CheckConstraint("transit_days >= 0", name="transit_days_non_negative"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("entity_type", String(40), nullable=False),
    Column("entity_id", String(100), nullable=False),
    Column("order_id", BigInteger),
    Column("action", String(60), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("actor_role", String(20), nullable=False),
    Column("on_behalf_of", String(200)),
    Column("before", JSONB),
    Column("after", JSONB),
    _created_at(),
    Index("ix_audit_events_order_id", "order_id", postgresql_where=text("order_id IS NOT NULL")),
    Index("ix_audit_events_entity", "entity_type", "entity_id"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("event_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("event_type", String(60), nullable=False),
    Column("payload", JSONB, nullable=False),
    _created_at(),
    Column("published_at", DateTime(timezone=True)),
    Index("ix_outbox_unpublished", "id", postgresql_where=text("published_at IS NULL")),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("channel_id", String(40), ForeignKey("channels.id")),  # a channel key captures for it alone
    _created_at(),
    Column("revoked_at", DateTime(timezone=True)),
    CheckConstraint(
        "role IN ('admin','ops','backoffice','manager','channel','viewer','wms','carrier')", name="role"
    ),
)


def _version_columns() -> list[Column]:
    """A saved version of a routing document: numbered from 1, the highest is active, never changed."""
    return [
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("saved_by", String(200), nullable=False),
        Column("on_behalf_of", String(200)),
        Column("comment", Text, nullable=False, server_default=""),
        Column("saved_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    ]


routing_profiles = Table(
    "routing_profiles",
    metadata,
    *_version_columns(),
    Column("profiles", JSONB, nullable=False),  # a ProfileSet as JSON, every default spelled out
    CheckConstraint("version >= 1", name="version_positive"),
)

rate_tables = Table(
    "rate_tables",
    metadata,
    *_version_columns(),
    Column("rates", JSONB, nullable=False),  # {"cards": [...]}, see oms.services.rate_tables
    Column("source", String(255)),  # the imported file's name, if any
    CheckConstraint("version >= 1", name="version_positive"),
)

routing_decisions = Table(
    "routing_decisions",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("order_id", BigInteger, ForeignKey("orders.id"), nullable=False),
    Column("reason", String(40), nullable=False),  # capture, reroute, batch, ...
    Column("actor", String(200), nullable=False),
    Column("strategy", String(80)),  # None when no strategy matched the order
    Column("profiles_version", Integer, nullable=False),  # 0: the built-in profiles
    Column("rates_version", Integer, nullable=False),  # 0: the built-in rates
    Column("decision", JSONB, nullable=False),  # see oms.services.routing_explanations
    _created_at(),
    Index("ix_routing_decisions_order_id", "order_id", "id"),
)

# Maintained by triggers on allocations (migration 0007): shipments per node and local day, spread over
# slots by order id; a node's usage is the sum of its slots.
node_capacity_usage = Table(
    "node_capacity_usage",
    metadata,
    Column("node_id", String(40), ForeignKey("nodes.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("slot", SmallInteger, primary_key=True),
    Column("shipments", Integer, nullable=False),
)

# A batch re-optimisation: proposed (dry run), then applied order by order (oms.services.reoptimisation).
routing_reoptimisations = Table(
    "routing_reoptimisations",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("status", String(20), nullable=False),  # proposed, applying, applied
    Column("created_by", String(200), nullable=False),
    Column("comment", Text, nullable=False, server_default=""),
    _created_at(),
    Column("proposal", JSONB, nullable=False),  # see oms.services.reoptimisation.Proposal
    Column("applied_by", String(200)),
    Column("applied_at", DateTime(timezone=True)),
    Column("outcome", JSONB),  # see oms.services.reoptimisation.ApplyOutcome
    CheckConstraint("status IN ('proposed', 'applying', 'applied')", name="status"),
)

# --- Outbound webhooks (issue 03; oms.services.webhook_*): subscriptions, and one delivery per outbox
# message and matching subscription. A worker leases a subscription (lease_until, lease_token) to send its
# due deliveries in order; a failure pauses the subscription (paused_until) so later events wait behind it.
webhook_subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("url", Text, nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("event_types", ARRAY(Text), nullable=False),  # names from oms.services.event_types, or '*'
    Column("secret", Text, nullable=False),  # the HMAC key: kept as is, since every delivery signs with it
    Column("enabled", Boolean, nullable=False, server_default=text("true")),
    Column("created_by", String(200), nullable=False),
    _created_at(),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("paused_until", DateTime(timezone=True)),
    Column("lease_until", DateTime(timezone=True)),
    Column("lease_token", UUID(as_uuid=True)),
)

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("outbox_id", BigInteger, ForeignKey("outbox.id"), nullable=False),
    Column("subscription_id", BigInteger, ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"),
           nullable=False),
    Column("status", String(10), nullable=False, server_default="pending"),  # pending, delivered, dead
    Column("attempts", Integer, nullable=False, server_default="0"),
    _created_at(),
    Column("queued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),  # or replayed
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("last_attempt_at", DateTime(timezone=True)),
    Column("last_status_code", Integer),
    Column("last_error", Text),
    Column("delivered_at", DateTime(timezone=True)),
    UniqueConstraint("outbox_id", "subscription_id", name="uq_webhook_deliveries_event_subscription"),
    CheckConstraint("status IN ('pending', 'delivered', 'dead')", name="status"),
    Index("ix_webhook_deliveries_subscription", "subscription_id", "id"),
    # a subscription's pending deliveries, in the order they are sent
    Index("ix_webhook_deliveries_pending", "subscription_id", "outbox_id",
          postgresql_where=text("status = 'pending'")),
    Index("ix_webhook_deliveries_dead", "id", postgresql_where=text("status = 'dead'")),
)

# --- Returns (issue 03; oms.services.returns*, refunds, store_credit, quarantine): a policy per channel,
# RMAs with their lines, receipts and inspections per node, quarantined stock, write-offs, refunds and the
# store-credit ledger. Products flagged final_sale (see products above) are never returned but when faulty.
return_policies = Table(
    "return_policies",
    metadata,
    Column("channel_id", String(40), ForeignKey("channels.id"), primary_key=True),
    Column("policy", JSONB, nullable=False),  # an oms.domain.returns.ReturnPolicy, every default spelled out
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_by", String(200), nullable=False),
    _updated_at(),
)

RETURN_STATUSES = ("'authorised','in_transit','partially_received','received','inspected','closed','cancelled',"
                   "'rejected'")
REASON_CODES = ("'damaged','defective','wrong_item','not_as_described','too_small','too_large','changed_mind',"
                "'late_delivery','other'")

returns = Table(
    "returns",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("rma_number", String(40), nullable=False, unique=True),
    Column("order_id", BigInteger, ForeignKey("orders.id"), nullable=False),
    Column("channel_id", String(40), ForeignKey("channels.id"), nullable=False),
    Column("customer_id", BigInteger, ForeignKey("customers.id"), nullable=False),
    Column("status", String(24), nullable=False),
    Column("resolution", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("policy", JSONB, nullable=False),  # the policy it was authorised under governs its refunds
    Column("return_carrier", String(40)),
    Column("return_tracking_number", String(64)),
    Column("exchange_order_id", BigInteger, ForeignKey("orders.id")),
    Column("exchange_lines", JSONB),  # [{sku, quantity, unit_price}] asked for the replacement order
    Column("status_reason", Text),
    Column("created_by", String(200), nullable=False),
    Column("external_id", String(100)),  # the channel's own return reference: a retry finds its RMA (0014)
    Column("request_hash", String(64)),  # a retry must carry the same request
    _created_at(),
    _updated_at(),
    Column("version", Integer, nullable=False, server_default="1"),
    CheckConstraint(f"status IN ({RETURN_STATUSES})", name="status"),
    CheckConstraint("resolution IN ('refund','store_credit','exchange')", name="resolution"),
    CheckConstraint("external_id IS NULL OR request_hash IS NOT NULL", name="external_id_hashed"),
    UniqueConstraint("channel_id", "external_id", name="uq_returns_channel_external"),
    Index("ix_returns_order_id", "order_id"),
    Index("ix_returns_exchange_order_id", "exchange_order_id", postgresql_where=text("exchange_order_id IS NOT NULL")),
    Index("ix_returns_status", "status", "id"),
    Index("ix_returns_customer_id", "customer_id"),
)

return_lines = Table(
    "return_lines",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("return_id", BigInteger, ForeignKey("returns.id"), nullable=False),
    Column("order_line_id", BigInteger, ForeignKey("order_lines.id"), nullable=False),
    Column("line_no", Integer, nullable=False),  # the order line's number
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),  # authorised
    Column("unit_price", Numeric(12, 2), nullable=False),  # as paid
    Column("reason_code", String(24), nullable=False),
    Column("comment", Text),
    Column("received_quantity", Integer, nullable=False, server_default="0"),
    Column("inspected_quantity", Integer, nullable=False, server_default="0"),
    Column("settled_quantity", Integer, nullable=False, server_default="0"),  # refunded, credited or exchanged
    UniqueConstraint("return_id", "line_no", name="uq_return_lines_return_line_no"),
    CheckConstraint(f"reason_code IN ({REASON_CODES})", name="reason_code"),
    CheckConstraint(
        "quantity > 0 AND inspected_quantity >= 0 AND inspected_quantity <= received_quantity"
        " AND received_quantity <= quantity AND settled_quantity >= 0 AND settled_quantity <= received_quantity",
        name="quantities",
    ),
    Index("ix_return_lines_order_line_id", "order_line_id"),
)

return_receipts = Table(
    "return_receipts",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("return_id", BigInteger, ForeignKey("returns.id"), nullable=False),
    Column("return_line_id", BigInteger, ForeignKey("return_lines.id"), nullable=False),
    Column("node_id", String(40), ForeignKey("nodes.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("received_by", String(200), nullable=False),
    _created_at(),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_return_receipts_return_id", "return_id"),
)

return_inspections = Table(
    "return_inspections",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("return_id", BigInteger, ForeignKey("returns.id"), nullable=False),
    Column("return_line_id", BigInteger, ForeignKey("return_lines.id"), nullable=False),
    Column("node_id", String(40), ForeignKey("nodes.id"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("condition", String(16), nullable=False),
    Column("disposition", String(16), nullable=False),
    Column("refundable", Boolean, nullable=False),
    Column("note", Text),
    Column("inspected_by", String(200), nullable=False),
    _created_at(),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("condition IN ('new','opened','damaged','defective')", name="condition"),
    CheckConstraint("disposition IN ('restock','quarantine','write_off')", name="disposition"),
    Index("ix_return_inspections_return_id", "return_id"),
)

# Units counted at a node but kept out of ATP (returns in doubt) until released to stock or written off.
quarantine_stock = Table(
    "quarantine_stock",
    metadata,
    Column("node_id", String(40), ForeignKey("nodes.id"), primary_key=True),
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("quantity", Integer, nullable=False),
    _updated_at(),
    CheckConstraint("quantity >= 0", name="quantity_not_negative"),
)

stock_write_offs = Table(
    "stock_write_offs",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("node_id", String(40), ForeignKey("nodes.id"), nullable=False),
    Column("sku", String(64), ForeignKey("products.sku"), nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("unit_value", Numeric(12, 2), nullable=False),
    Column("value", Numeric(14, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("source", String(20), nullable=False),  # return_inspection, quarantine
    Column("return_id", BigInteger, ForeignKey("returns.id")),
    Column("reason", Text),
    Column("created_by", String(200), nullable=False),
    _created_at(),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    CheckConstraint("source IN ('return_inspection','quarantine')", name="source"),
    Index("ix_stock_write_offs_node_sku", "node_id", "sku"),
)

refunds = Table(
    "refunds",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("return_id", BigInteger, ForeignKey("returns.id"), nullable=False),
    Column("order_id", BigInteger, ForeignKey("orders.id"), nullable=False),
    Column("customer_id", BigInteger, ForeignKey("customers.id"), nullable=False),
    Column("method", String(20), nullable=False),
    Column("status", String(12), nullable=False, server_default="issued"),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("shipping", Numeric(12, 2), nullable=False, server_default="0"),  # original shipping given back
    Column("breakdown", JSONB, nullable=False),  # see oms.domain.refunds.Breakdown
    Column("created_by", String(200), nullable=False),
    _created_at(),
    CheckConstraint("method IN ('original_payment','store_credit')", name="method"),
    CheckConstraint("status IN ('issued')", name="status"),
    CheckConstraint("amount >= 0 AND shipping >= 0", name="amounts_not_negative"),
    Index("ix_refunds_order_id", "order_id"),
    Index("ix_refunds_return_id", "return_id"),
)

store_credit_entries = Table(
    "store_credit_entries",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("customer_id", BigInteger, ForeignKey("customers.id"), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),  # credit > 0, redemption < 0
    Column("balance_after", Numeric(14, 2), nullable=False),
    Column("refund_id", BigInteger, ForeignKey("refunds.id")),
    Column("note", Text),
    Column("created_by", String(200), nullable=False),
    _created_at(),
    CheckConstraint("amount <> 0 AND balance_after >= 0", name="amounts"),
    Index("ix_store_credit_entries_customer", "customer_id", "currency", "id"),
)

# --- Execution: fulfilment orders, WMS integration and events, shipments' contents (migration 0009) ----

# How a node's WMS receives releases; a node without a row is `manual` (its staff use the API).
node_integrations = Table(
    "node_integrations",
    metadata,
    Column("node_id", String(40), ForeignKey("nodes.id"), primary_key=True),
    Column("transport", String(10), nullable=False),  # http, file, manual
    Column("endpoint_url", String(2000)),  # http: where the release document is POSTed
    Column("secret", String(200)),  # http: the HMAC-SHA256 key of the signature header
    Column("drop_dir", String(1000)),  # file: the directory documents are dropped into
    Column("updated_by", String(200), nullable=False),
    _updated_at(),
    CheckConstraint("transport IN ('http','file','manual')", name="transport"),
    CheckConstraint("transport <> 'http' OR (endpoint_url IS NOT NULL AND secret IS NOT NULL)", name="http_target"),
    CheckConstraint("transport <> 'file' OR drop_dir IS NOT NULL", name="file_target"),
)

# What one node is asked to ship of an order (oms.services.fulfilment_release), how sending it to the WMS
# goes (oms.services.fulfilment_sending) and what the WMS reported (oms.services.wms_events).
fulfilment_orders = Table(
    "fulfilment_orders",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("order_id", BigInteger, ForeignKey("orders.id"), nullable=False),
    Column("node_id", String(40), ForeignKey("nodes.id"), nullable=False),
    Column("status", String(20), nullable=False),  # see oms.domain.fulfilment.FulfilmentStatus
    Column("ship_by", Date),
    Column("deliver_by", Date),
    Column("rerouted_from_id", BigInteger, ForeignKey("fulfilment_orders.id")),  # short pick or rejection
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True)),  # null: nothing to send
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    Column("wms_reference", String(100)),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("accepted_at", DateTime(timezone=True)),
    Column("picked_at", DateTime(timezone=True)),
    Column("packed_at", DateTime(timezone=True)),
    Column("shipped_at", DateTime(timezone=True)),  # the latest shipment
    Column("closed_at", DateTime(timezone=True)),  # nothing left open: shipped, short or rejected
    Column("reason", Text),  # why the WMS rejected it
    _created_at(),
    _updated_at(),
    CheckConstraint(
        "status IN ('released','acknowledged','accepted','picked','packed','partially_shipped','shipped',"
        "'rejected','cancelled')",
        name="status",
    ),
    Index("ix_fulfilment_orders_order_id", "order_id"),
    Index("ix_fulfilment_orders_node_status", "node_id", "status"),
    Index("ix_fulfilment_orders_due", "next_attempt_at", postgresql_where=text("next_attempt_at IS NOT NULL")),
)

fulfilment_order_lines = Table(
    "fulfilment_order_lines",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("fulfilment_order_id", BigInteger, ForeignKey("fulfilment_orders.id"), nullable=False),
    Column("order_line_id", BigInteger, ForeignKey("order_lines.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),  # released; open = quantity - shipped - short - rejected
    Column("shipped_quantity", Integer, nullable=False, server_default="0"),
    Column("short_quantity", Integer, nullable=False, server_default="0"),
    Column("rejected_quantity", Integer, nullable=False, server_default="0"),
    UniqueConstraint("fulfilment_order_id", "order_line_id", name="uq_fulfilment_order_lines_order_line"),
    CheckConstraint(
        "quantity > 0 AND shipped_quantity >= 0 AND short_quantity >= 0 AND rejected_quantity >= 0"
        " AND shipped_quantity + short_quantity + rejected_quantity <= quantity",
        name="quantities",
    ),
)

# A reservation released to a fulfilment order; null while the order is not yet released.
allocations.append_column(Column("fulfilment_order_id", BigInteger, ForeignKey("fulfilment_orders.id")))
Index("ix_allocations_fulfilment_order_id", allocations.c.fulfilment_order_id,
      postgresql_where=text("fulfilment_order_id IS NOT NULL"))

shipments.append_column(Column("fulfilment_order_id", BigInteger, ForeignKey("fulfilment_orders.id")))
shipments.append_column(Column("carrier_service", String(40)))  # the carrier's service, as the WMS named it
shipments.append_column(Column("parcels", JSONB, nullable=False, server_default=text("'[]'::jsonb")))
Index("ix_shipments_fulfilment_order_id", shipments.c.fulfilment_order_id)

shipment_lines = Table(
    "shipment_lines",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("shipment_id", BigInteger, ForeignKey("shipments.id"), nullable=False),
    Column("order_line_id", BigInteger, ForeignKey("order_lines.id"), nullable=False),
    Column("fulfilment_order_line_id", BigInteger, ForeignKey("fulfilment_order_lines.id"), nullable=False),
    Column("sku", String(64), nullable=False),
    Column("quantity", Integer, nullable=False),
    UniqueConstraint("shipment_id", "order_line_id", name="uq_shipment_lines_shipment_order_line"),
    CheckConstraint("quantity > 0", name="quantity_positive"),
    Index("ix_shipment_lines_order_line_id", "order_line_id"),
)

# Units of the line shipped, and of those delivered (oms.services.shipment_progress keeps them).
order_lines.append_column(Column("shipped_quantity", Integer, nullable=False, server_default="0"))
order_lines.append_column(Column("delivered_quantity", Integer, nullable=False, server_default="0"))
order_lines.append_constraint(CheckConstraint(
    "delivered_quantity >= 0 AND delivered_quantity <= shipped_quantity AND shipped_quantity <= quantity",
    name="shipped_within_quantity",
))

# Every WMS event applied, unique per node and event id, with the answer it got (a retry gets it again).
wms_events = Table(
    "wms_events",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("node_id", String(40), ForeignKey("nodes.id"), nullable=False),
    Column("event_id", String(100), nullable=False),
    Column("fulfilment_order_id", BigInteger, ForeignKey("fulfilment_orders.id"), nullable=False),
    Column("type", String(20), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("body_hash", String(64), nullable=False),
    Column("body", JSONB, nullable=False),
    Column("outcome", JSONB),
    Column("actor", String(200), nullable=False),
    _created_at(),
    UniqueConstraint("node_id", "event_id", name="uq_wms_events_node_event"),
    Index("ix_wms_events_fulfilment_order_id", "fulfilment_order_id", "occurred_at"),
)

# Units a node was found not to have (a short pick): what it counted, and what is left after.
stock_discrepancies = Table(
    "stock_discrepancies",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("node_id", String(40), ForeignKey("nodes.id"), nullable=False),
    Column("sku", String(64), ForeignKey("products.sku"), nullable=False),
    Column("expected", Integer, nullable=False),  # on hand before
    Column("found", Integer, nullable=False),  # on hand after
    Column("short_quantity", Integer, nullable=False),
    Column("source", String(20), nullable=False),  # short_pick
    Column("wms_event_id", BigInteger, ForeignKey("wms_events.id")),
    Column("fulfilment_order_id", BigInteger, ForeignKey("fulfilment_orders.id")),
    Column("recorded_by", String(200), nullable=False),
    _created_at(),
    Index("ix_stock_discrepancies_node", "node_id", "created_at"),
)

api_keys.append_column(Column("node_id", String(40), ForeignKey("nodes.id")))  # a wms key acts for one node
api_keys.append_constraint(CheckConstraint("(role = 'wms') = (node_id IS NOT NULL)", name="wms_node"))

# --- Carrier tracking and SLA alerts (issue 03, migration 0012; oms.services.tracking_events, alerts,
# sla_check, sla_report) ------------------------------------------------------------------------------

# What the carrier reported, and when it happened: `status_at` is when what set the status happened, so
# an event that happened before it is kept but never moves the status back (oms.domain.tracking).
for _column in ("in_transit_at", "out_for_delivery_at", "exception_at", "returned_at", "status_at"):
    shipments.append_column(Column(_column, DateTime(timezone=True)))
Index("ix_shipments_tracking_number", shipments.c.tracking_number,
      postgresql_where=text("tracking_number IS NOT NULL"))
# Parcels still with the carrier: what the SLA check reads each run.
Index("ix_shipments_in_flight", shipments.c.promised_delivery_date,
      postgresql_where=text("status IN ('shipped','in_transit','out_for_delivery','exception')"))
Index("ix_shipments_promised_delivery_date", shipments.c.promised_delivery_date)
Index("ix_fulfilment_orders_open_ship_by", fulfilment_orders.c.ship_by, postgresql_where=text("closed_at IS NULL"))
Index("ix_fulfilment_orders_unacknowledged", fulfilment_orders.c.created_at,
      postgresql_where=text("closed_at IS NULL AND acknowledged_at IS NULL"))

# Every carrier event, unique per carrier and event id, with the answer it got (a retry gets it again).
tracking_events = Table(
    "tracking_events",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("carrier", String(40), nullable=False),  # the shipment's carrier, as it is spelt there
    Column("event_id", String(100), nullable=False),
    Column("shipment_id", BigInteger, ForeignKey("shipments.id"), nullable=False),
    Column("status", String(24), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("location", String(200)),
    Column("detail", Text),
    Column("body_hash", String(64), nullable=False),
    Column("outcome", JSONB, nullable=False),
    Column("actor", String(200), nullable=False),
    _created_at(),
    UniqueConstraint("carrier", "event_id", name="uq_tracking_events_carrier_event"),
    CheckConstraint(
        "status IN ('in_transit','out_for_delivery','delivered','exception','returned_to_sender')", name="status"
    ),
    Index("ix_tracking_events_shipment_id", "shipment_id", "occurred_at"),
)

# Conditions someone should act on: SLA breaches and risks, carrier exceptions (and, later, anomalies).
# `kind` is open-ended (oms.domain.alerts.AlertKind); the subject columns say what the alert is about;
# one condition has one alert not yet resolved (its dedupe key).
alerts = Table(
    "alerts",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("status", String(14), nullable=False, server_default="open"),
    Column("dedupe_key", String(200), nullable=False),
    Column("order_id", BigInteger, ForeignKey("orders.id")),
    Column("fulfilment_order_id", BigInteger, ForeignKey("fulfilment_orders.id")),
    Column("shipment_id", BigInteger, ForeignKey("shipments.id")),
    Column("node_id", String(40), ForeignKey("nodes.id")),
    Column("carrier", String(40)),
    Column("sku", String(64), ForeignKey("products.sku")),
    Column("channel_id", String(40), ForeignKey("channels.id")),  # migration 0025
    Column("message", Text, nullable=False),
    Column("details", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("raised_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("acknowledged_at", DateTime(timezone=True)),
    Column("acknowledged_by", String(200)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", String(200)),
    Column("note", Text),  # the note of whoever acknowledged or resolved it
    CheckConstraint("severity IN ('info','warning','critical')", name="severity"),
    CheckConstraint("status IN ('open','acknowledged','resolved')", name="status"),
    CheckConstraint("(status = 'resolved') = (resolved_at IS NOT NULL)", name="resolved_at"),
    Index("uq_alerts_open_dedupe_key", "dedupe_key", unique=True, postgresql_where=text("status <> 'resolved'")),
    Index("ix_alerts_status_kind", "status", "kind", "id"),
    Index("ix_alerts_node_id", "node_id", "id", postgresql_where=text("node_id IS NOT NULL")),
    Index("ix_alerts_carrier", "carrier", "id", postgresql_where=text("carrier IS NOT NULL")),
    Index("ix_alerts_order_id", "order_id", postgresql_where=text("order_id IS NOT NULL")),
    Index("ix_alerts_raised_at", "raised_at"),
)

# --- Parcel tracking numbers (issue 03, migration 0013; oms.services.tracking_events) -------------------

# Each tracking number a shipment's parcels carry, and what its carrier reported about that parcel: a
# multi-parcel shipment is delivered once every parcel is. The main number is found on `shipments`.
shipment_parcels = Table(
    "shipment_parcels",
    metadata,
    Column("shipment_id", BigInteger, ForeignKey("shipments.id"), primary_key=True),
    Column("tracking_number", String(64), primary_key=True),
    Column("status", String(24), nullable=False, server_default="shipped"),
    Column("status_at", DateTime(timezone=True)),  # when what set the status happened
    Column("delivered_at", DateTime(timezone=True)),
    CheckConstraint(
        "status IN ('shipped','in_transit','out_for_delivery','delivered','exception','returned_to_sender')",
        name="status",
    ),
    Index("ix_shipment_parcels_tracking_number", "tracking_number"),
)

# --- Multichannel capture (issue 04, migration 0015; oms.services.inbound, channel_integrations,
# channel_documents) -----------------------------------------------------------------------------------

# Every payload a channel sent that the OMS accepted, byte for byte: a webhook, an EDI interchange, a
# marketplace order, an imported file, an API request (as the validated command). Orders point at the
# payload they came from; a payload that acted on an order (an update, a cancellation) points at it. A
# retry with the same dedupe key (a webhook id, an interchange control number) is recognised here.
inbound_payloads = Table(
    "inbound_payloads",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("channel_id", String(40), ForeignKey("channels.id"), nullable=False),
    Column("source", String(20), nullable=False),
    Column("topic", String(60)),  # what the channel says it is: orders/create, 850, csv, ...
    Column("dedupe_key", String(200)),  # null: never deduplicated
    Column("content_type", String(100), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("order_id", BigInteger, ForeignKey("orders.id")),  # the order an event payload acted on
    Column("outcome", JSONB),  # what became of it: orders captured, rows refused, action taken
    Column("received_by", String(200), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint(f"source IN ({ORDER_SOURCES})", name="source"),
    UniqueConstraint("channel_id", "source", "dedupe_key", name="uq_inbound_payloads_dedupe"),
    Index("ix_inbound_payloads_channel_received", "channel_id", "received_at"),
    Index("ix_inbound_payloads_order_id", "order_id", postgresql_where=text("order_id IS NOT NULL")),
)

# How a channel's adapter talks to it: the adapter's settings (validated per adapter), the secret that
# signs what it sends us, the token we call it with, and how documents we owe it (EDI 855/856, marketplace
# acknowledgements) reach it: POSTed, dropped as files, or pulled by the channel through the API.
channel_integrations = Table(
    "channel_integrations",
    metadata,
    Column("channel_id", String(40), ForeignKey("channels.id"), primary_key=True),
    Column("adapter", String(20), nullable=False),
    Column("settings", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("secret", Text),  # verifies what the channel sends (e.g. Shopify's webhook HMAC key)
    Column("api_token", Text),  # authenticates what the OMS sends the channel
    Column("transport", String(10), nullable=False, server_default="pull"),
    Column("endpoint_url", Text),
    Column("drop_dir", Text),
    Column("enabled", Boolean, nullable=False, server_default=text("true")),
    Column("updated_by", String(200), nullable=False),
    _updated_at(),
    CheckConstraint("adapter IN ('shopify','marketplace','edi')", name="adapter"),
    CheckConstraint("transport IN ('http','file','pull')", name="transport"),
)

# Documents the OMS owes a channel, one per (kind, subject): queued in the transaction of what they
# report, then sent by the worker (http, file) or pulled by the channel, until sent or acknowledged.
channel_documents = Table(
    "channel_documents",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("channel_id", String(40), ForeignKey("channels.id"), nullable=False),
    Column("kind", String(30), nullable=False),  # edi_855, edi_856, marketplace_ack, ...
    Column("subject", String(100), nullable=False),  # what it is about: order:1001, shipment:7
    Column("order_id", BigInteger, ForeignKey("orders.id")),
    Column("content_type", String(100), nullable=False),
    Column("body", LargeBinary, nullable=False),
    _created_at(),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True)),  # null: nothing to send (pulled, or sent)
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    Column("acknowledged_at", DateTime(timezone=True)),
    UniqueConstraint("channel_id", "kind", "subject", name="uq_channel_documents_subject"),
    Index("ix_channel_documents_due", "next_attempt_at", postgresql_where=text("next_attempt_at IS NOT NULL")),
    Index("ix_channel_documents_order_id", "order_id", postgresql_where=text("order_id IS NOT NULL")),
    Index("ix_channel_documents_pending", "channel_id", "id", postgresql_where=text("acknowledged_at IS NULL")),
)

# Web console (0018): people who sign in with a password (scrypt hash), one role each, a channel for a
# channel-role user; and the indexes the orders list filters by node, lateness and reference with.
users = Table(
    "users",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("channel_id", String(40), ForeignKey("channels.id")),
    Column("disabled", Boolean, nullable=False, server_default=text("false")),
    _created_at(),
    _updated_at(),
    CheckConstraint("role IN ('admin','ops','backoffice','manager','channel','viewer')", name="role"),
    CheckConstraint("(role = 'channel') = (channel_id IS NOT NULL)", name="channel"),
)
Index("ix_allocations_node_order", allocations.c.node_id, allocations.c.order_id)
Index("ix_fulfilment_orders_node_order", fulfilment_orders.c.node_id, fulfilment_orders.c.order_id)
Index("ix_orders_external_id", orders.c.external_id)
Index("ix_orders_open_promised", orders.c.promised_delivery_date,
      postgresql_where=text("status NOT IN ('delivered','cancelled')"))

# --- EDI X12 (issue 04, migration 0017; oms.services.channel_edi, channel_edi_documents) ---------------

# Our control numbers per EDI channel (ISA13, GS06, ST02 of the documents we send it), taken by
# incrementing the channel's row, which also makes its document writers take turns.
edi_control_numbers = Table(
    "edi_control_numbers",
    metadata,
    Column("channel_id", String(40), ForeignKey("channels.id"), primary_key=True),
    Column("interchange", BigInteger, nullable=False, server_default="0"),
    Column("functional_group", BigInteger, nullable=False, server_default="0"),
    Column("transaction_set", BigInteger, nullable=False, server_default="0"),
    _updated_at(),
)

# Orders captured from 850s that may still ship: the ship-notice job looks among their shipments only,
# and forgets an order once it can ship no more and each of its shipments has its 856.
edi_open_orders = Table(
    "edi_open_orders",
    metadata,
    Column("order_id", BigInteger, ForeignKey("orders.id"), primary_key=True),
    Column("channel_id", String(40), ForeignKey("channels.id"), nullable=False),
    _created_at(),
)

# --- Shopify (issue 04, migration 0016; oms.services.channel_shopify_stock) ------------------------------

# The Shopify inventory item (and variant) each SKU is on a Shopify channel: stock is pushed per item, and
# a line item that carries no SKU is read by its variant.
shopify_inventory_items = Table(
    "shopify_inventory_items",
    metadata,
    Column("channel_id", String(40), ForeignKey("channels.id"), primary_key=True),
    Column("sku", String(64), ForeignKey("products.sku"), primary_key=True),
    Column("inventory_item_id", BigInteger, nullable=False),
    Column("variant_id", BigInteger),
    _updated_at(),
    UniqueConstraint("channel_id", "inventory_item_id", name="uq_shopify_inventory_items_item"),
    UniqueConstraint("channel_id", "variant_id", name="uq_shopify_inventory_items_variant"),
)

# The available quantity last sent per (channel, Shopify location, inventory item): a push sends only what
# differs. A value Shopify refused keeps its answer and is not sent again until the quantity changes.
shopify_inventory_levels = Table(
    "shopify_inventory_levels",
    metadata,
    Column("channel_id", String(40), ForeignKey("channels.id"), primary_key=True),
    Column("location_id", BigInteger, primary_key=True),
    Column("inventory_item_id", BigInteger, primary_key=True),
    Column("available", Integer, nullable=False),
    Column("refused", Text),
    _updated_at(),
)

# --- Console: background bulk imports (issue 05, migration 0019; oms.services.import_runs) -------------

# A bulk order import queued by the console or the API and run by the worker as the person who asked. The
# file is kept only while the run is open; a lease (claimed_by, claimed_until) hands a run whose worker
# died to another.
_IMPORT_RUN_OPEN = "status IN ('queued','checking','importing')"
import_runs = Table(
    "import_runs",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("channel_id", String(40), ForeignKey("channels.id"), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("sheet", String(100)),
    Column("skip_invalid", Boolean, nullable=False),
    Column("content", LargeBinary),
    Column("size_bytes", Integer, nullable=False),
    Column("status", String(20), nullable=False, server_default="queued"),
    Column("rows_done", Integer, nullable=False, server_default="0"),
    Column("rows_total", Integer),
    Column("report", JSONB),
    Column("message", Text),
    Column("actor", String(200), nullable=False),
    Column("actor_role", String(20), nullable=False),
    Column("actor_channel_id", String(40)),
    Column("on_behalf_of", String(200)),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("claimed_by", String(100)),
    Column("claimed_until", DateTime(timezone=True)),
    _created_at(),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    CheckConstraint("status IN ('queued','checking','importing','done','refused','interrupted','failed')",
                    name="status"),
    CheckConstraint(f"({_IMPORT_RUN_OPEN}) = (content IS NOT NULL)", name="content_while_open"),
)
Index("ix_import_runs_open", import_runs.c.id, postgresql_where=text(_IMPORT_RUN_OPEN))
Index("ix_import_runs_channel", import_runs.c.channel_id, import_runs.c.id)

# --- Console security (issue 05, migration 0020; oms.services.console_sessions, sign_in_throttle) --------

# A signed-in browser: its cookie carries a random id, hashed here; signing out deletes the row. Refused
# once idle too long (last_seen_at) or past expires_at, whatever the activity.
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("user_id", BigInteger, ForeignKey("users.id", ondelete="CASCADE")),
    Column("api_key_id", BigInteger, ForeignKey("api_keys.id", ondelete="CASCADE")),
    Column("csrf", Text, nullable=False),
    _created_at(),
    Column("last_seen_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
    CheckConstraint("(user_id IS NULL) <> (api_key_id IS NULL)", name="principal"),
)

# Failed sign-ins per subject ("name:…", "key:…" prefix, "address:…") in the current window, and until
# when further attempts are refused.
sign_in_throttles = Table(
    "sign_in_throttles",
    metadata,
    Column("subject", Text, primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("locked_until", DateTime(timezone=True)),
)

# --- Managers' overview (issue 05, migration 0021; oms.services.overview) ------------------------------
# Indexes only: a period's shipments and order events, lines waiting for stock.
Index("ix_shipments_shipped_at", shipments.c.shipped_at)
Index("ix_audit_events_action_created_at", audit_events.c.action, audit_events.c.created_at)
Index("ix_order_lines_waiting_sku", order_lines.c.sku,
      postgresql_where=text("status IN ('partially_allocated', 'backordered', 'released', 'partially_shipped')"))

# --- Ops assistant (issue 06, migration 0022; oms.services.assistant_threads) -------------------------
# Whose each conversation is, its title, and the lease taken while the assistant answers. The messages
# themselves are LangGraph's checkpoints, in the schema `assistant`.
assistant_threads = Table(
    "assistant_threads",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("owner", Text, nullable=False),
    Column("title", Text),
    _created_at(),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("busy_until", DateTime(timezone=True)),
)
Index("ix_assistant_threads_owner_updated_at", assistant_threads.c.owner, assistant_threads.c.updated_at)

for _table in (customers, products):
    Index(f"ix_{_table.name}_embedding", _table.c.embedding, postgresql_using="hnsw",
          postgresql_ops={"embedding": "vector_cosine_ops"})  # fmt: skip

# A document uploaded for order entry: its bytes are the inbound payload, `extraction` what was read from it
# (oms.channels.documents.model.ExtractedDocument), `content` the draft staff correct (DraftContent).
order_drafts = Table(
    "order_drafts",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("status", String(20), nullable=False, server_default="draft"),
    Column("channel_id", String(40), ForeignKey("channels.id"), nullable=False),
    Column("payload_id", BigInteger, ForeignKey("inbound_payloads.id"), nullable=False, unique=True),
    Column("file_name", String(255)),
    Column("pages", Integer, nullable=False),
    Column("extraction", JSONB, nullable=False),
    Column("content", JSONB, nullable=False),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("created_by", String(200), nullable=False),
    Column("submitted_by", String(200)),
    Column("order_id", BigInteger, ForeignKey("orders.id")),
    _created_at(),
    _updated_at(),
    CheckConstraint("status IN ('draft','submitted','discarded')", name="status"),
    CheckConstraint("(status = 'submitted') = (order_id IS NOT NULL)", name="submitted_has_order"),
    Index("ix_order_drafts_status_created_at", "status", "created_at"),
)

# A customer's own code for one of our SKUs: learned when a draft is submitted, or printed beside our SKU.
customer_part_numbers = Table(
    "customer_part_numbers",
    metadata,
    Column("customer_id", BigInteger, ForeignKey("customers.id"), primary_key=True),
    Column("part_number", String(64), primary_key=True),
    Column("sku", String(64), ForeignKey("products.sku"), nullable=False),
    Column("source", String(20), nullable=False),
    Column("draft_id", BigInteger, ForeignKey("order_drafts.id")),
    _updated_at(),
    CheckConstraint("source IN ('submitted','printed')", name="source"),
)

# --- Anomaly detection (migration 0024) -----------------------------------------------------------------

# A trained scikit-learn model (joblib bytes); the highest version of a name is the one in use.
ml_models = Table(
    "ml_models",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("name", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("trained_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("trained_by", String(200), nullable=False),
    Column("train_from", DateTime(timezone=True), nullable=False),
    Column("train_to", DateTime(timezone=True), nullable=False),
    Column("validate_from", DateTime(timezone=True), nullable=False),
    Column("validate_to", DateTime(timezone=True), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("metrics", JSONB, nullable=False),
    Column("artifact", LargeBinary, nullable=False),
    UniqueConstraint("name", "version", name="uq_ml_models_name"),
)

# The latest P(late) of each open shipment, with the model version and the features that weighed most.
shipment_risks = Table(
    "shipment_risks",
    metadata,
    Column("shipment_id", BigInteger, ForeignKey("shipments.id"), primary_key=True),
    Column("p_late", Float, nullable=False),
    Column("model_version", Integer, nullable=False),
    Column("contributions", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("scored_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("p_late >= 0 AND p_late <= 1", name="probability"),
)

# A run of the anomaly agent: what it raised and resolved, and the manager digest it wrote.
anomaly_scans = Table(
    "anomaly_scans",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("started_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("finished_at", DateTime(timezone=True)),
    Column("actor", String(200), nullable=False),
    Column("raised", Integer, nullable=False, server_default="0"),
    Column("resolved", Integer, nullable=False, server_default="0"),
    Column("summary", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("digest", Text),
    Column("digest_by", String(10)),
    CheckConstraint("digest_by IN ('llm','template')", name="digest_by"),
    Index("ix_anomaly_scans_started_at", "started_at"),
)

# A change of the routing profiles the routing advisor proposes (issue 09): the candidate profile set, the
# replay that argues for it, and what a person decided. Approval saves it as a new profiles version
# (`applied_version`); nothing changes routing before that.
routing_proposals = Table(
    "routing_proposals",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("created_by", String(200), nullable=False),
    Column("status", String(16), nullable=False, server_default="proposed"),
    Column("base_version", Integer, nullable=False),  # the profiles version it was weighed against
    Column("reliability_version", Integer),  # the ml_models 'routing_reliability' version it used
    Column("profiles", JSONB, nullable=False),  # the candidate ProfileSet
    Column("evidence", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    Column("summary", Text, nullable=False, server_default=""),
    Column("decided_by", String(200)),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision_comment", Text),
    Column("applied_version", Integer),
    CheckConstraint("status IN ('proposed','approved','rejected','superseded')", name="status_known"),
    Index("ix_routing_proposals_status", "status", "created_at"),
)
