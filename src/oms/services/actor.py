"""Who is acting, and what each role may do. Every service checks this itself, whatever the caller."""

from dataclasses import dataclass
from enum import StrEnum

from oms.services.errors import Forbidden


class Role(StrEnum):
    ADMIN = "admin"
    OPS = "ops"
    BACKOFFICE = "backoffice"
    MANAGER = "manager"
    CHANNEL = "channel"
    VIEWER = "viewer"
    WMS = "wms"  # a node's warehouse system: reads and reports on that node's fulfilment orders only
    CARRIER = "carrier"  # a carrier or tracking aggregator: posts tracking events, nothing else


class Permission(StrEnum):
    ORDER_READ = "order:read"
    ORDER_CAPTURE = "order:capture"
    ORDER_EDIT = "order:edit"
    ORDER_HOLD = "order:hold"
    ORDER_CANCEL = "order:cancel"
    ORDER_RELEASE = "order:release"
    ORDER_REROUTE = "order:reroute"
    INVENTORY_READ = "inventory:read"
    INVENTORY_WRITE = "inventory:write"
    CATALOG_READ = "catalog:read"
    CATALOG_WRITE = "catalog:write"
    NETWORK_READ = "network:read"
    NETWORK_WRITE = "network:write"
    NODE_OUTAGE = "network:outage"
    PROMISE = "promise"
    API_KEYS = "api_keys:manage"
    WEBHOOKS_MANAGE = "webhooks:manage"  # admins only: a subscription sends order data to any URL
    ROUTING_READ = "routing:read"
    ROUTING_WRITE = "routing:write"
    RETURNS_READ = "returns:read"
    RETURNS_MANAGE = "returns:manage"  # authorise, cancel, mark in transit; adjust store credit
    RETURNS_PROCESS = "returns:process"  # receive, inspect, reject, close
    RETURN_POLICIES_WRITE = "returns:policies"
    FULFILMENT_READ = "fulfilment:read"
    FULFILMENT_REPORT = "fulfilment:report"  # post WMS events (picked, shipped, ...)
    TRACKING_REPORT = "tracking:report"  # post carrier tracking events
    ALERTS_READ = "alerts:read"
    ALERTS_MANAGE = "alerts:manage"  # acknowledge, resolve
    SLA_READ = "sla:read"  # the SLA attainment report
    CHANNELS_READ = "channels:read"  # channel integrations (secrets never shown), inbound payloads' lists
    CHANNELS_MANAGE = "channels:manage"  # admins only: an integration holds the channel's secrets
    CHANNEL_DOCUMENTS = "channels:documents"  # pull and acknowledge documents owed to a channel (855, 856)
    REPORTS_READ = "reports:read"  # the managers' overview: orders, lead times, lateness, stock-outs
    ASSISTANT = "assistant:use"  # talk to the ops assistant, which acts with the person's own permissions
    MODELS_TRAIN = "models:train"  # retrain the delay model: its scores drive everyone's alerts


_READ = {
    Permission.ORDER_READ,
    Permission.INVENTORY_READ,
    Permission.CATALOG_READ,
    Permission.NETWORK_READ,
    Permission.PROMISE,
}
_ORDER_DESK = {Permission.ORDER_CAPTURE, Permission.ORDER_EDIT, Permission.ORDER_HOLD}
_OPERATIONS = _READ | _ORDER_DESK | {
    Permission.ORDER_CANCEL,
    Permission.ORDER_RELEASE,
    Permission.ORDER_REROUTE,
    Permission.INVENTORY_WRITE,
    Permission.NODE_OUTAGE,  # the desk that runs the day declares a node down without editing the network
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.OPS: frozenset(_OPERATIONS),
    Role.MANAGER: frozenset(_OPERATIONS),
    Role.BACKOFFICE: frozenset(_READ | _ORDER_DESK),
    Role.CHANNEL: frozenset(
        {
            Permission.ORDER_READ,
            Permission.ORDER_CAPTURE,
            Permission.ORDER_CANCEL,
            Permission.INVENTORY_READ,
            Permission.CATALOG_READ,
            Permission.PROMISE,
        }
    ),
    Role.VIEWER: frozenset(_READ),
    Role.WMS: frozenset({Permission.FULFILMENT_READ, Permission.FULFILMENT_REPORT}),
}
# Routing profiles and rate tables: ops (and admin) edit them, managers and viewers read them.
for _role, _extra in (
    (Role.OPS, {Permission.ROUTING_READ, Permission.ROUTING_WRITE}),
    (Role.MANAGER, {Permission.ROUTING_READ}),
    (Role.VIEWER, {Permission.ROUTING_READ}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra
# Fulfilment orders: everyone who reads orders reads them; the desks that run the day report for a node
# without a WMS of its own (the manual portal).
for _role, _extra in (
    (Role.OPS, {Permission.FULFILMENT_READ, Permission.FULFILMENT_REPORT}),
    (Role.MANAGER, {Permission.FULFILMENT_READ, Permission.FULFILMENT_REPORT}),
    (Role.BACKOFFICE, {Permission.FULFILMENT_READ}),
    (Role.VIEWER, {Permission.FULFILMENT_READ}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra

# Returns: the desks that talk to customers (and a channel, for its own orders: self-service returns)
# authorise them; the desks that run the day receive and inspect them; ops set the policies.
_RETURN_DESK = {Permission.RETURNS_READ, Permission.RETURNS_MANAGE}
for _role, _extra in (
    (Role.OPS, _RETURN_DESK | {Permission.RETURNS_PROCESS, Permission.RETURN_POLICIES_WRITE}),
    (Role.MANAGER, _RETURN_DESK | {Permission.RETURNS_PROCESS}),
    (Role.BACKOFFICE, _RETURN_DESK),
    (Role.CHANNEL, _RETURN_DESK),
    (Role.VIEWER, {Permission.RETURNS_READ}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra

# Tracking and SLA: a carrier key posts tracking events only; the desks that run the day post them too (a
# carrier's e-mail or portal) and work the alerts; whoever reads orders reads alerts and the SLA report.
ROLE_PERMISSIONS[Role.CARRIER] = frozenset({Permission.TRACKING_REPORT})
_SLA_READ = {Permission.ALERTS_READ, Permission.SLA_READ}
for _role, _extra in (
    (Role.OPS, _SLA_READ | {Permission.ALERTS_MANAGE, Permission.TRACKING_REPORT}),
    (Role.MANAGER, _SLA_READ | {Permission.ALERTS_MANAGE, Permission.TRACKING_REPORT}),
    (Role.BACKOFFICE, _SLA_READ),
    (Role.VIEWER, _SLA_READ),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra

# Channels: the desks read integrations and documents; a channel key pulls its own documents.
for _role, _extra in (
    (Role.OPS, {Permission.CHANNELS_READ, Permission.CHANNEL_DOCUMENTS}),
    (Role.MANAGER, {Permission.CHANNELS_READ, Permission.CHANNEL_DOCUMENTS}),
    (Role.BACKOFFICE, {Permission.CHANNELS_READ}),
    (Role.VIEWER, {Permission.CHANNELS_READ}),
    (Role.CHANNEL, {Permission.CHANNEL_DOCUMENTS}),
):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra

# Reports: the managers' overview reads across every channel's orders, so the desks that see the whole
# business read it; a channel, a WMS, a carrier and the back office do not.
for _role in (Role.OPS, Role.MANAGER, Role.VIEWER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Permission.REPORTS_READ}
# Machine learning: whoever reads reports reads the models and their metrics; managers (and admins) retrain.
ROLE_PERMISSIONS[Role.MANAGER] = ROLE_PERMISSIONS[Role.MANAGER] | {Permission.MODELS_TRAIN}

# The ops assistant: the desks talk to it; it acts as the person, with no permission of its own. A
# channel, a WMS or a carrier is a system, not a person at a desk.
for _role in (Role.OPS, Role.MANAGER, Role.BACKOFFICE, Role.VIEWER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {Permission.ASSISTANT}

# A shop's own integration changes its channel's orders before release as the shop does: Shopify's signed
# orders/updated edits the address and lines and places or lifts a payment-review hold. The integration acts
# as the channel with these grants (`Actor.grants`); a channel key does not have them (it would lift the
# desk's fraud holds and edit orders at will).
SHOP_INTEGRATION = frozenset({Permission.ORDER_EDIT, Permission.ORDER_HOLD})


@dataclass(frozen=True, slots=True)
class Actor:
    """`name` is the key or user acting; `on_behalf_of` the person an agent or integration acts for.
    A channel-role actor is bound to `channel_id` and sees and captures that channel's orders only; a
    wms-role actor is bound to `node_id` and sees and reports on that node's fulfilment orders only.
    `grants` are permissions beyond the role's, given in code to a system acting for its channel (see
    SHOP_INTEGRATION), never to a key or a user."""

    name: str
    role: Role
    on_behalf_of: str | None = None
    channel_id: str | None = None
    node_id: str | None = None
    grants: frozenset[Permission] = frozenset()

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role] or permission in self.grants

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(f"role '{self.role}' may not {permission.value}")

    def sees_channel(self, channel_id: str) -> bool:
        """Whether this actor may see what belongs to `channel_id` (a channel key sees its own only)."""
        return self.channel_id is None or self.channel_id == channel_id

    def require_channel(self, channel_id: str) -> None:
        if not self.sees_channel(channel_id):
            raise Forbidden(f"this key acts for channel '{self.channel_id}' only")

    def require_node(self, node_id: str) -> None:
        if self.node_id is not None and self.node_id != node_id:
            raise Forbidden(f"this key acts for node '{self.node_id}' only")


SYSTEM = Actor(name="system", role=Role.ADMIN)
