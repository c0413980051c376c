delete from raw.customers
where _source = $source
    and starts_with(_file_name, 'api:')
    and customer_id in (select customer_id from staged_customers)
returning _load_id
