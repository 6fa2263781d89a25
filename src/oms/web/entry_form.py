"""The draft page's form as the services' commands: header fields by name, line i's fields as
`line-{i}-sku`, `line-{i}-quantity`, ... (a row left without SKU and quantity is no line: the page's
spare row for adding one)."""

from starlette.datastructures import FormData

from oms.services.order_entry_models import DraftEdit, DraftSubmit

LOW_CONFIDENCE = 0.8  # a field read with less is highlighted for staff to check
LINE_FIELDS = ("sku", "description", "quantity", "unit_price")
ADDRESS_FIELDS = ("name", "line1", "line2", "postal_code", "city", "country")
HEADER_FIELDS = ("document_number", "customer_name", "customer_email", "currency", "requested_delivery_date")


def edit_of(form: FormData) -> DraftEdit:
    """Raises pydantic's ValidationError, by field, for what the form holds that a draft cannot."""
    header = {f: _text(form, f) for f in HEADER_FIELDS}
    header["requested_delivery_date"] = header["requested_delivery_date"] or None
    ship_to = {f: _text(form, f"ship_to-{f}") or None for f in ADDRESS_FIELDS}
    return DraftEdit.model_validate({**header, "expected_version": form.get("expected_version"),
                                     "ship_to": ship_to, "lines": _lines(form)})  # fmt: skip


def version_of(form: FormData) -> DraftSubmit:
    return DraftSubmit.model_validate({"expected_version": form.get("expected_version")})


def _lines(form: FormData) -> list[dict]:
    rows = sorted(
        {int(key.split("-")[1]) for key in form if key.startswith("line-") and key.split("-")[1].isdigit()}
    )
    lines = [{f: _text(form, f"line-{i}-{f}") for f in LINE_FIELDS} for i in rows]
    return [line for line in lines if line["sku"] or line["quantity"]]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
