"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 23:26:44.035444
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


APPEND_ONLY = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")
    op.create_table('audit_events',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('entity_type', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=100), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('on_behalf_of', sa.String(length=200), nullable=True),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    op.create_index('ix_audit_events_entity', 'audit_events', ['entity_type', 'entity_id'], unique=False)
    op.create_index('ix_audit_events_order_id', 'audit_events', ['order_id'], unique=False, postgresql_where=sa.text('order_id IS NOT NULL'))
    op.create_table('channels',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("type IN ('web','marketplace','store','b2b','call_center','edi')", name=op.f('ck_channels_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channels'))
    )
    op.create_table('customers',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tier', sa.String(length=20), server_default='standard', nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customers')),
    sa.UniqueConstraint('email', name=op.f('uq_customers_email'))
    )
    op.create_table('nodes',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('line1', sa.String(length=200), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('lat', sa.Numeric(precision=9, scale=6), nullable=False),
    sa.Column('lon', sa.Numeric(precision=9, scale=6), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('processing_days', sa.Integer(), server_default='1', nullable=False),
    sa.Column('cutoff_time', sa.Time(), server_default=sa.text("'14:00'"), nullable=False),
    sa.Column('daily_capacity', sa.Integer(), server_default='1000', nullable=False),
    sa.Column('priority', sa.Integer(), server_default='100', nullable=False),
    sa.Column('fulfilment_types', postgresql.ARRAY(sa.String(length=20)), server_default=sa.text("'{ship}'"), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("type IN ('warehouse','3pl','store','dropship')", name=op.f('ck_nodes_type')),
    sa.CheckConstraint('processing_days >= 0 AND daily_capacity >= 0', name=op.f('ck_nodes_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_nodes'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('event_id', sa.UUID(), nullable=False),
    sa.Column('event_type', sa.String(length=60), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
    )
    op.create_index('ix_outbox_unpublished', 'outbox', ['id'], unique=False, postgresql_where=sa.text('published_at IS NULL'))
    op.create_table('products',
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('barcode', sa.String(length=32), nullable=True),
    sa.Column('weight_kg', sa.Numeric(precision=10, scale=3), server_default='0', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('unit_price >= 0', name=op.f('ck_products_price_not_negative')),
    sa.PrimaryKeyConstraint('sku', name=op.f('pk_products')),
    sa.UniqueConstraint('barcode', name=op.f('uq_products_barcode'))
    )
    op.create_table('transit_rules',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('service_level', sa.String(length=16), nullable=False),
    sa.Column('origin_country', sa.String(length=2), nullable=True),
    sa.Column('dest_country', sa.String(length=2), nullable=True),
    sa.Column('max_distance_km', sa.Integer(), nullable=True),
    sa.Column('transit_days', sa.Integer(), nullable=False),
    sa.CheckConstraint('transit_days >= 0', name=op.f('ck_transit_rules_transit_days_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transit_rules'))
    )
    op.create_table('api_keys',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('channel_id', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('admin','ops','backoffice','manager','channel','viewer')", name=op.f('ck_api_keys_role')),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_api_keys_channel_id_channels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash'))
    )
    op.create_table('channel_protections',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('channel_id', sa.String(length=40), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=True),
    sa.Column('node_id', sa.String(length=40), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=True),
    sa.Column('share', sa.Numeric(precision=5, scale=4), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('(quantity IS NULL) <> (share IS NULL) AND coalesce(quantity, 0) >= 0 AND coalesce(share, 0) BETWEEN 0 AND 1', name=op.f('ck_channel_protections_quantity_or_share')),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_channel_protections_channel_id_channels')),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_channel_protections_node_id_nodes')),
    sa.ForeignKeyConstraint(['sku'], ['products.sku'], name=op.f('fk_channel_protections_sku_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_protections'))
    )
    op.create_table('inbound_supply',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('node_id', sa.String(length=40), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='open', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("type IN ('purchase_order','transfer','asn')", name=op.f('ck_inbound_supply_type')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_inbound_supply_quantity_positive')),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_inbound_supply_node_id_nodes')),
    sa.ForeignKeyConstraint(['sku'], ['products.sku'], name=op.f('fk_inbound_supply_sku_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_supply'))
    )
    op.create_index('ix_inbound_supply_sku_open', 'inbound_supply', ['sku'], unique=False, postgresql_where=sa.text("status = 'open'"))
    op.create_table('inventory',
    sa.Column('node_id', sa.String(length=40), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('on_hand', sa.Integer(), server_default='0', nullable=False),
    sa.Column('reserved', sa.Integer(), server_default='0', nullable=False),
    sa.Column('safety_stock', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('on_hand >= 0 AND reserved >= 0 AND safety_stock >= 0', name=op.f('ck_inventory_non_negative')),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_inventory_node_id_nodes')),
    sa.ForeignKeyConstraint(['sku'], ['products.sku'], name=op.f('fk_inventory_sku_products')),
    sa.PrimaryKeyConstraint('node_id', 'sku', name=op.f('pk_inventory'))
    )
    op.create_index('ix_inventory_sku', 'inventory', ['sku'], unique=False)
    op.create_table('orders',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False, start=1001), nullable=False),
    sa.Column('channel_id', sa.String(length=40), nullable=False),
    sa.Column('external_id', sa.String(length=100), nullable=False),
    sa.Column('customer_id', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('hold_type', sa.String(length=24), nullable=True),
    sa.Column('hold_reason', sa.String(length=500), nullable=True),
    sa.Column('service_level', sa.String(length=16), nullable=False),
    sa.Column('pickup_node_id', sa.String(length=40), nullable=True),
    sa.Column('ship_to', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('ship_to_country', sa.String(length=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('total_amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('promised_ship_date', sa.Date(), nullable=True),
    sa.Column('promised_delivery_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('capture_hash', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['channels.id'], name=op.f('fk_orders_channel_id_channels')),
    sa.ForeignKeyConstraint(['pickup_node_id'], ['nodes.id'], name=op.f('fk_orders_pickup_node_id_nodes')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_orders_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('channel_id', 'external_id', name='uq_orders_channel_external')
    )
    op.create_index('ix_orders_created_at', 'orders', ['created_at'], unique=False)
    op.create_index('ix_orders_customer_id', 'orders', ['customer_id'], unique=False)
    op.create_index('ix_orders_status', 'orders', ['status'], unique=False)
    op.create_table('order_lines',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_order_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders')),
    sa.ForeignKeyConstraint(['sku'], ['products.sku'], name=op.f('fk_order_lines_sku_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines')),
    sa.UniqueConstraint('order_id', 'line_no', name='uq_order_lines_order_line_no')
    )
    op.create_table('shipments',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('node_id', sa.String(length=40), nullable=False),
    sa.Column('carrier', sa.String(length=40), nullable=False),
    sa.Column('service_level', sa.String(length=16), nullable=False),
    sa.Column('tracking_number', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('weight_kg', sa.Numeric(precision=10, scale=3), server_default='0', nullable=False),
    sa.Column('distance_km', sa.Numeric(precision=8, scale=1), nullable=True),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('promised_delivery_date', sa.Date(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_shipments_node_id_nodes')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_shipments_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments'))
    )
    op.create_index('ix_shipments_order_id', 'shipments', ['order_id'], unique=False)
    op.create_table('allocations',
    sa.Column('id', sa.BigInteger(), sa.Identity(always=False), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('order_line_id', sa.BigInteger(), nullable=False),
    sa.Column('node_id', sa.String(length=40), nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_allocations_quantity_positive')),
    sa.ForeignKeyConstraint(['node_id'], ['nodes.id'], name=op.f('fk_allocations_node_id_nodes')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_allocations_order_id_orders')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_allocations_order_line_id_order_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocations'))
    )
    op.create_index('ix_allocations_order_id', 'allocations', ['order_id'], unique=False)
    op.execute(APPEND_ONLY)


def downgrade() -> None:
    op.execute("DROP TRIGGER audit_events_append_only ON audit_events")
    op.execute("DROP FUNCTION audit_events_append_only()")
    op.drop_index('ix_allocations_order_id', table_name='allocations')
    op.drop_table('allocations')
    op.drop_index('ix_shipments_order_id', table_name='shipments')
    op.drop_table('shipments')
    op.drop_table('order_lines')
    op.drop_index('ix_orders_status', table_name='orders')
    op.drop_index('ix_orders_customer_id', table_name='orders')
    op.drop_index('ix_orders_created_at', table_name='orders')
    op.drop_table('orders')
    op.drop_index('ix_inventory_sku', table_name='inventory')
    op.drop_table('inventory')
    op.drop_index('ix_inbound_supply_sku_open', table_name='inbound_supply', postgresql_where=sa.text("status = 'open'"))
    op.drop_table('inbound_supply')
    op.drop_table('channel_protections')
    op.drop_table('api_keys')
    op.drop_table('transit_rules')
    op.drop_table('products')
    op.drop_index('ix_outbox_unpublished', table_name='outbox', postgresql_where=sa.text('published_at IS NULL'))
    op.drop_table('outbox')
    op.drop_table('nodes')
    op.drop_table('customers')
    op.drop_table('channels')
    op.drop_index('ix_audit_events_order_id', table_name='audit_events', postgresql_where=sa.text('order_id IS NOT NULL'))
    op.drop_index('ix_audit_events_entity', table_name='audit_events')
    op.drop_table('audit_events')
