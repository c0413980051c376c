"""Shopify: Admin REST orders (`{"orders": [...]}`), pulled or saved as files.

An order carries id, name, created_at, processed_at, updated_at, customer{id, email,
phone, first_name, last_name, created_at, default_address}, currency, total_price,
total_discounts, subtotal_price, total_line_items_price, financial_status, cancelled_at,
line_items[], source_name, location_id. `order_record` maps it, for the API client
(ingestion/api/shopify.py) and a saved body alike: the order lands in raw.orders, its
customer in raw.customers. A body is one API page (at most 250 orders), parsed in Python;
a customer with several orders in one file is written once, as of their most recently
updated order.
"""

from __future__ import annotations

from typing import Any

from ingestion.layouts import shape_layout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.json_documents import DocumentShapeError, read_document
from ingestion.loaders.staging import insert_staged, stage_rows
from ingestion.loaders.tables import finish_table_load
from ingestion.records import Record, Row, make_record, text_or_none
from ingestion.staged import CUSTOMERS, ORDERS
from ingestion.vendors.base import JSON_DOCUMENT, ApiSource, FileFormat, ItemMapping, Sample, Vendor
from ingestion.vendors.formats import first_object

NAME = "shopify"


def order_record(order: dict[str, Any], _survey_id: str | None = None) -> Record:
    customer = order.get("customer") or {}
    address = customer.get("default_address") or {}
    line_items = order.get("line_items") or []
    status = "cancelled" if order.get("cancelled_at") else order.get("financial_status")
    order_row = {
        "order_id": order["id"],
        "customer_id": customer.get("id"),
        "ordered_at": order.get("processed_at") or order.get("created_at"),
        "status": status,
        "currency": order.get("currency"),
        "gross_amount": order.get("total_line_items_price") or order.get("subtotal_price"),
        "discount_amount": order.get("total_discounts"),
        "net_amount": order.get("total_price"),
        "channel": order.get("source_name"),
        "location": order.get("location_id"),
        "product_category": line_items[0].get("product_type") if line_items else None,
    }
    rows: dict[str, list[Row]] = {"orders": [order_row], "customers": []}
    if customer.get("id") is not None:
        rows["customers"].append(
            {
                "customer_id": customer["id"],
                "email": customer.get("email") or order.get("email"),
                "phone": customer.get("phone"),
                "first_name": customer.get("first_name"),
                "last_name": customer.get("last_name"),
                "signed_up_at": customer.get("created_at"),
                "country": address.get("country_code"),
                "city": address.get("city"),
            }
        )
    return make_record(str(order["id"]), order, rows)


def is_order(item: Any) -> bool:
    return isinstance(item, dict) and (
        {"id", "line_items"} <= set(item) or "financial_status" in item
    )


def _orders(document: Any) -> list[dict[str, Any]]:
    orders = document.get("orders") if isinstance(document, dict) else None
    if not isinstance(orders, list) or not all(isinstance(order, dict) for order in orders):
        raise DocumentShapeError("Shopify orders JSON: no `orders` list of objects")
    missing = [number for number, order in enumerate(orders, start=1) if "id" not in order]
    if missing:
        raise DocumentShapeError(f"Shopify orders JSON: order {missing[0]} has no `id`")
    return orders


def load_orders_body(ctx: LoadContext) -> LoadCounts:
    order_rows: list[Row] = []
    order_numbers: list[int] = []
    customers: dict[str, tuple[str, int, Row]] = {}
    for number, order in enumerate(_orders(read_document(ctx)), start=1):
        rows = order_record(order).rows
        for row in rows["orders"]:
            order_rows.append(row)
            order_numbers.append(number)
        updated = text_or_none(order.get("updated_at")) or ""
        for row in rows["customers"]:
            key = text_or_none(row["customer_id"]) or ""
            if key not in customers or customers[key][0] <= updated:
                customers[key] = (updated, number, row)

    # An earlier version of this file may have written customers; the ledger clears orders.
    ctx.conn.execute("delete from raw.customers where _file_name = ?", [ctx.file_name])
    kept = list(customers.values())
    stage_rows(ctx.conn, CUSTOMERS, [row for _, _, row in kept], [n for _, n, _ in kept])
    insert_staged(ctx.conn, CUSTOMERS, {**ctx.lineage(), "pseudonym_key": ctx.pseudonym_key})
    stage_rows(ctx.conn, ORDERS, order_rows, order_numbers, table="staged")
    return finish_table_load(ctx, shape_layout("shopify_orders_json", ORDERS), rejected=0)


def _is_body(sample: Sample) -> str | None:
    if is_order(first_object(sample.document, "orders")):
        return "Shopify Admin REST orders body (orders[] with line_items)"
    return None


VENDOR = Vendor(
    name=NAME,
    family="commerce",
    description="Shopify Admin REST orders and their customers (API pulls and saved bodies).",
    formats=(
        FileFormat(
            name="shopify_orders_json",
            family="commerce",
            target=ORDERS,
            containers=frozenset({JSON_DOCUMENT}),
            recognise=_is_body,
            load=load_orders_body,
            description="Shopify Admin REST orders body saved as a file.",
        ),
    ),
    items=(
        ItemMapping(
            streams=frozenset({"orders"}),
            target=ORDERS,
            matches=is_order,
            to_record=order_record,
        ),
    ),
    api=ApiSource(
        client="ingestion.api.shopify",
        settings_name="shopify",
        asset_name="shopify_orders",
        tables=("orders", "customers"),
        by_day=True,
    ),
)
