insert into raw.orders by name
select
    order_id,
    customer_id,
    ordered_at,
    canonical_order_status(status) as status,
    currency,
    gross_amount,
    discount_amount,
    net_amount,
    channel,
    location,
    product_category,
    -- lineage columns (ingestion/sql/lineage_columns.sql)
from staged_orders
