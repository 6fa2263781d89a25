"""Store credit: a ledger per customer and currency, each entry with the balance it leaves.

Returns credit it (oms.services.refunds); a desk or a channel (for customers who ordered through it)
redeems or adjusts it. Entries of one customer are written one at a time (a transaction-scoped advisory
lock per customer), so each balance follows from the one before and never goes below zero.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import Connection, text

from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, NotFound, ValidationFailed
from oms.services.fields import AsNumber
from oms.services.order_models import Command
from oms.services.uow import UnitOfWork

Amount = Annotated[Decimal, AsNumber]

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended('oms.store_credit:' || CAST(:id AS text), 0))")
_BALANCE = text(
    """
    SELECT balance_after FROM store_credit_entries WHERE customer_id = :id AND currency = :currency
    ORDER BY id DESC LIMIT 1
    """
)
_INSERT = text(
    """
    INSERT INTO store_credit_entries (customer_id, currency, amount, balance_after, refund_id, note, created_by)
    VALUES (:customer_id, :currency, :amount, :balance, :refund_id, :note, :actor)
    RETURNING id, currency, amount, balance_after, refund_id, note, created_by, created_at
    """
)


class StoreCreditAdjust(Command):
    amount: Annotated[Decimal, Field(max_digits=12, decimal_places=2), AsNumber] = Field(
        description="Positive to credit (goodwill), negative to redeem")
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class StoreCreditEntry(BaseModel):
    id: int
    currency: str
    amount: Amount
    balance_after: Amount
    refund_id: int | None
    note: str | None
    created_by: str
    created_at: dt.datetime


class StoreCreditBalance(BaseModel):
    currency: str
    balance: Amount


class StoreCreditPublic(BaseModel):
    customer_id: int
    balances: list[StoreCreditBalance]
    entries: list[StoreCreditEntry] = Field(description="Newest first, at most 200")


def credit(conn: Connection, actor: Actor, customer_id: int, currency: str, amount: Decimal,
           refund_id: int | None, note: str) -> dict:
    """Add `amount` (negative: take it) to the customer's balance in `currency`; the entry as JSON.
    Raises ValueError if the balance would go below zero."""
    conn.execute(_LOCK, {"id": customer_id})
    balance = conn.execute(_BALANCE, {"id": customer_id, "currency": currency}).scalar() or Decimal(0)
    if balance + amount < 0:
        raise ValueError(f"the balance is {balance} {currency}")
    row = conn.execute(_INSERT, {"customer_id": customer_id, "currency": currency, "amount": amount,
                                 "balance": balance + amount, "refund_id": refund_id, "note": note,
                                 "actor": actor.name}).mappings().one()  # fmt: skip
    return StoreCreditEntry.model_validate(row).model_dump(mode="json")


def adjust(uow: UnitOfWork, actor: Actor, customer_id: int, cmd: StoreCreditAdjust) -> StoreCreditPublic:
    """Redeem (negative) or credit (positive) a customer's store credit; 422 if it would go below zero."""
    actor.require(Permission.RETURNS_MANAGE)
    if cmd.amount == 0:
        raise ValidationFailed([FieldError(("amount",), "an adjustment changes the balance", "zero")])
    with uow:
        _check_customer(uow.conn, actor, customer_id)
        try:
            entry = credit(uow.conn, actor, customer_id, cmd.currency, cmd.amount, None, cmd.note)
        except ValueError as error:
            raise ValidationFailed([FieldError(("amount",), f"more than the balance: {error}", "over_balance")]) from None
        uow.record(actor, "store_credit.adjusted", "customer", customer_id, after=entry)
        uow.commit()
    return balance(uow, actor, customer_id)


def balance(uow: UnitOfWork, actor: Actor, customer_id: int) -> StoreCreditPublic:
    actor.require(Permission.RETURNS_READ)
    with uow.reading():
        _check_customer(uow.conn, actor, customer_id)
        entries = uow.conn.execute(
            text("SELECT id, currency, amount, balance_after, refund_id, note, created_by, created_at"
                 " FROM store_credit_entries WHERE customer_id = :id ORDER BY id DESC LIMIT 200"),
            {"id": customer_id},
        ).mappings().all()
        balances = uow.conn.execute(
            text("SELECT DISTINCT ON (currency) currency, balance_after AS balance FROM store_credit_entries"
                 " WHERE customer_id = :id ORDER BY currency, id DESC"),
            {"id": customer_id},
        ).mappings().all()
    return StoreCreditPublic(customer_id=customer_id, balances=[StoreCreditBalance.model_validate(b) for b in balances],
                             entries=[StoreCreditEntry.model_validate(e) for e in entries])  # fmt: skip


# Customers are shared by every channel: a channel's key reaches those who ordered through it.
_CUSTOMER = text(
    """
    SELECT 1 FROM customers c WHERE c.id = :id AND (CAST(:channel AS text) IS NULL
      OR EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.channel_id = :channel))
    """
)


def _check_customer(conn: Connection, actor: Actor, customer_id: int) -> None:
    if conn.execute(_CUSTOMER, {"id": customer_id, "channel": actor.channel_id}).first() is None:
        raise NotFound(f"no customer {customer_id}")
