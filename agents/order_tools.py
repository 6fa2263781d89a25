"""Order tools: find and read orders, explain their routing, follow their parcels; hold, release,
cancel, edit, reroute them and create returns, each write previewed for approval first."""

from collections.abc import Callable

from pydantic import Field

from agents.tool_base import OmsTool, ToolContext, ToolFailure, command_of, targeted
from oms.domain.order_status import ALLOWED_FROM
from oms.services import order_actions
from oms.services.actor import Permission
from oms.services.order_models import Command, HoldCommand, OrderEdit, ReasonCommand
from oms.services.order_queries import get_order
from oms.services.order_search import OrderSearch, search_orders
from oms.services.reroute_models import RerouteCommand
from oms.services.return_models import ReturnCreate
from oms.services.returns import create_return
from oms.services.routing_decisions import routing_decisions
from oms.services.shipment_history import order_shipments

ORDER_ID = (int, Field(gt=0, description="The order's number in the OMS (not the channel's reference)"))


OrderRef = targeted(Command, "OrderRef", order_id=ORDER_ID)


def _order_at_stake(ctx: ToolContext, order_id: int) -> dict:
    order = get_order(ctx.uow, ctx.actor, order_id)
    return {"id": order.id, "channel": order.channel, "external_id": order.external_id, "status": order.status,
            "customer": order.customer.name, "total": f"{order.total_amount} {order.currency}"}  # fmt: skip


def _order_change(verb: str, command: type[Command], state_action: str) -> Callable:
    """A preview for an action on one order: the order as it is now, and the command that will run. An
    order whose status does not allow the action is refused here, before anyone is asked to approve it."""

    def preview(ctx: ToolContext, args) -> dict | ToolFailure:
        order = _order_at_stake(ctx, args.order_id)
        if order["status"] not in ALLOWED_FROM[state_action]:
            return ToolFailure(f"order {order['id']} is {order['status']}: it cannot be {verb} now")
        change = command_of(args, command).model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        change |= args.model_dump(mode="json", exclude=set(command.model_fields) | {"order_id"})  # e.g. line_no
        return {"summary": f"{verb.capitalize()}: order {order['id']} ({order['channel']} {order['external_id']},"
                           f" {order['customer']})", "order": order, "change": change}  # fmt: skip

    return preview


HoldArgs = targeted(HoldCommand, "HoldOrder", order_id=ORDER_ID)
ReleaseArgs = targeted(ReasonCommand, "ReleaseHold", order_id=ORDER_ID)
CancelArgs = targeted(ReasonCommand, "CancelOrder", order_id=ORDER_ID)
CancelLineArgs = targeted(ReasonCommand, "CancelLine", order_id=ORDER_ID,
                          line_no=(int, Field(gt=0, description="The line's number on the order")))  # fmt: skip
EditArgs = targeted(OrderEdit, "EditOrder", order_id=ORDER_ID)
RerouteArgs = targeted(RerouteCommand, "RerouteOrder", order_id=ORDER_ID)


def _return_preview(ctx: ToolContext, args: ReturnCreate) -> dict:
    order = _order_at_stake(ctx, args.order_id)
    return {"summary": f"Authorise a return of order {order['id']} ({order['customer']})", "order": order,
            "change": args.model_dump(mode="json", exclude_none=True, exclude_defaults=True)}  # fmt: skip


ORDER_TOOLS = (
    OmsTool("find_orders", "Search orders by order number, channel reference, customer name or e-mail (q), status,"
            " channel, node, creation dates, late or at risk. Newest first.", OrderSearch, Permission.ORDER_READ,
            lambda ctx, a: search_orders(ctx.uow, ctx.actor, a)),
    OmsTool("get_order", "One order with its lines, allocations (which node ships what), promised dates and"
            " status.", OrderRef, Permission.ORDER_READ, lambda ctx, a: get_order(ctx.uow, ctx.actor, a.order_id)),
    OmsTool("explain_routing", "Why the order ships from where it does: the latest routing decision, the nodes"
            " considered and why others were not chosen; when its profiles pin a reliability table, each"
            " shipment's predicted on-time probability (on_time) and transit days.", OrderRef, Permission.ORDER_READ,
            lambda ctx, a: routing_decisions(ctx.uow, ctx.actor, a.order_id, limit=1)),
    OmsTool("track_order", "The order's shipments: carrier, tracking number, status and tracking events.",
            OrderRef, Permission.ORDER_READ, lambda ctx, a: order_shipments(ctx.uow, ctx.actor, a.order_id)),
    OmsTool("hold_order", "Put an order on hold (it is not released to a warehouse until the hold is released).",
            HoldArgs, Permission.ORDER_HOLD,
            lambda ctx, a: order_actions.hold(ctx.uow, ctx.actor, a.order_id, command_of(a, HoldCommand)),
            _order_change("put on hold", HoldCommand, "hold")),
    OmsTool("release_hold", "Release an order's hold so it is routed and released again.", ReleaseArgs,
            Permission.ORDER_HOLD,
            lambda ctx, a: order_actions.release_hold(ctx.uow, ctx.actor, a.order_id, command_of(a, ReasonCommand)),
            _order_change("released from hold", ReasonCommand, "release_hold")),
    OmsTool("cancel_order", "Cancel a whole order not yet released; its reserved stock is given back.",
            CancelArgs, Permission.ORDER_CANCEL,
            lambda ctx, a: order_actions.cancel(ctx.uow, ctx.actor, a.order_id, command_of(a, ReasonCommand)),
            _order_change("cancelled", ReasonCommand, "cancel")),
    OmsTool("cancel_line", "Cancel one line of an order.", CancelLineArgs, Permission.ORDER_CANCEL,
            lambda ctx, a: order_actions.cancel_line(ctx.uow, ctx.actor, a.order_id, a.line_no,
                                                     command_of(a, ReasonCommand)),
            _order_change("cut by a line", ReasonCommand, "cancel_line")),
    OmsTool("edit_order", "Change an order not yet released: its delivery address (ship_to), line quantities,"
            " lines added or removed.", EditArgs, Permission.ORDER_EDIT,
            lambda ctx, a: order_actions.edit(ctx.uow, ctx.actor, a.order_id, command_of(a, OrderEdit)),
            _order_change("edited", OrderEdit, "edit")),
    OmsTool("reroute_order", "Route an order again, optionally away from some nodes (e.g. a node that cannot"
            " ship it).", RerouteArgs, Permission.ORDER_REROUTE,
            lambda ctx, a: order_actions.reroute(ctx.uow, ctx.actor, a.order_id, command_of(a, RerouteCommand)),
            _order_change("rerouted", RerouteCommand, "reroute")),
    OmsTool("create_return", "Authorise a return (RMA) of delivered lines of an order.", ReturnCreate,
            Permission.RETURNS_MANAGE, lambda ctx, a: create_return(ctx.uow, ctx.actor, a), _return_preview),
)  # fmt: skip
