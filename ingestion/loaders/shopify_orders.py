"""Shopify Admin REST orders bodies saved as files (`{"orders": [...]}`).

Orders are mapped exactly as the Shopify API client maps them (`order_record`): the
order lands in raw.orders, its customer in raw.customers. An order body is one API page
(at most 250 orders), so it is parsed in Python. A customer with several orders in the
file is written once, as of their most recently updated order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingestion.api.shopify import order_record
from ingestion.layouts import CUSTOMERS_CSV, TableLayout
from ingestion.loaders.context import LoadContext, LoadCounts
from ingestion.loaders.csv_stage import add_missing_columns
from ingestion.loaders.json_documents import (
    DocumentShapeError,
    Record,
    read_document,
    stage_records,
    text_or_none,
)
from ingestion.loaders.tables import finish_table_load
from ingestion.warehouse import execute_sql_file


def _orders(document: Any) -> list[dict[str, Any]]:
    orders = document.get("orders") if isinstance(document, dict) else None
    if not isinstance(orders, list) or not all(isinstance(order, dict) for order in orders):
        raise DocumentShapeError("Shopify orders JSON: no `orders` list of objects")
    missing = [number for number, order in enumerate(orders, start=1) if "id" not in order]
    if missing:
        raise DocumentShapeError(f"Shopify orders JSON: order {missing[0]} has no `id`")
    return orders


def _as_record(row: Mapping[str, object], number: int) -> Record:
    return {**{key: text_or_none(value) for key, value in row.items()}, "_row_number": str(number)}


def load_shopify_orders(ctx: LoadContext, layout: TableLayout) -> LoadCounts:
    orders = _orders(read_document(ctx))
    order_rows: list[Record] = []
    customers: dict[str, tuple[str, Record]] = {}
    for number, order in enumerate(orders, start=1):
        rows = order_record(order).rows
        order_rows.extend(_as_record(row, number) for row in rows["orders"])
        updated = text_or_none(order.get("updated_at")) or ""
        for row in rows["customers"]:
            customer = _as_record(row, number)
            key = customer["customer_id"] or ""
            if key not in customers or customers[key][0] <= updated:
                customers[key] = (updated, customer)

    # An earlier version of this file may have written customers; the ledger clears orders.
    ctx.conn.execute("delete from raw.customers where _file_name = ?", [ctx.file_name])
    stage_records(ctx, "staged", list(CUSTOMERS_CSV.columns), [c for _, c in customers.values()])
    add_missing_columns(ctx, list(CUSTOMERS_CSV.columns))
    execute_sql_file(
        ctx.conn,
        CUSTOMERS_CSV.insert_sql,
        {**ctx.lineage(), "pseudonym_key": ctx.pseudonym_key},
    )

    stage_records(ctx, "staged", list(layout.columns), order_rows)
    return finish_table_load(ctx, layout, rejected=0)
