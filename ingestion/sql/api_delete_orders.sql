delete from raw.orders
where _source = $source
    and starts_with(_file_name, 'api:')
    and order_id in (select order_id from staged_orders)
returning _load_id
