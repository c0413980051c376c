"""Customers and orders in Customer Pulse's documented layouts (a shop or POS export):
CSV, JSON lines, or one JSON array of objects, keys matched like CSV headers."""

from __future__ import annotations

from dataclasses import replace

from ingestion.layouts import TableLayout, same_names
from ingestion.staged import CUSTOMERS, ORDERS
from ingestion.vendors.base import GENERIC_PRIORITY, Vendor
from ingestion.vendors.formats import csv_table, json_array_table, json_lines_table

CUSTOMERS_CSV = TableLayout(
    name="customers_csv",
    shape=CUSTOMERS,
    columns={
        **same_names("customer_id", "first_name", "last_name", "country", "city", "birth_date"),
        "email": ("email", "email_address"),
        "phone": ("phone", "phone_number"),
        "signed_up_at": ("signed_up_at", "created_at"),
        "referred_by_customer_id": ("referred_by_customer_id", "referred_by"),
    },
    required=frozenset({"customer_id", "email"}),
    description="Customers export (shop or POS): one customer per row.",
)
ORDERS_CSV = TableLayout(
    name="orders_csv",
    shape=ORDERS,
    columns={
        **same_names(
            "order_id",
            "customer_id",
            "status",
            "currency",
            "gross_amount",
            "discount_amount",
            "net_amount",
            "channel",
            "location",
            "product_category",
        ),
        "ordered_at": ("ordered_at", "created_at", "order_date"),
    },
    required=frozenset({"order_id", "customer_id", "ordered_at", "net_amount"}),
    description="Orders export (shop or POS): one order per row.",
)


def _as(layout: TableLayout, name: str, description: str) -> TableLayout:
    return replace(layout, name=name, description=description)


VENDOR = Vendor(
    name="generic_commerce",
    family="commerce",
    description="Customers and orders in the documented generic layouts.",
    formats=(
        csv_table(ORDERS_CSV, "commerce", GENERIC_PRIORITY),
        csv_table(CUSTOMERS_CSV, "commerce", GENERIC_PRIORITY),
        json_lines_table(
            _as(ORDERS_CSV, "orders_jsonl", "Orders, one JSON object per line."),
            "commerce",
            GENERIC_PRIORITY,
        ),
        json_lines_table(
            _as(CUSTOMERS_CSV, "customers_jsonl", "Customers, one JSON object per line."),
            "commerce",
            GENERIC_PRIORITY,
        ),
        json_array_table(
            _as(ORDERS_CSV, "orders_json", "Orders as one JSON array of objects."),
            "commerce",
            GENERIC_PRIORITY,
        ),
        json_array_table(
            _as(CUSTOMERS_CSV, "customers_json", "Customers as one JSON array of objects."),
            "commerce",
            GENERIC_PRIORITY,
        ),
    ),
)
