-- The canonical order status every order load writes: completed, refunded, cancelled or
-- pending. Shops and POS exports name them in their own words (Shopify's financial status
-- `paid`, `voided`, ...); those words are mapped here, once, for files and API pulls alike.
-- Anything else is kept as received, and the raw gate holds the load.
create or replace temp macro canonical_order_status(value) as
    case
        when lower(trim(value)) in (
            'completed', 'complete', 'paid', 'partially_paid', 'partially_refunded',
            'fulfilled', 'delivered', 'shipped', 'closed'
        ) then 'completed'
        when lower(trim(value)) in ('refunded', 'returned') then 'refunded'
        when lower(trim(value)) in ('cancelled', 'canceled', 'voided', 'void') then 'cancelled'
        when lower(trim(value)) in (
            'pending', 'authorized', 'on_hold', 'on-hold', 'processing', 'open', 'unpaid'
        ) then 'pending'
        else value
    end;
