insert into raw.customers by name
select
    customer_id,
    pseudonymise_email($pseudonym_key, email) as email_hash,
    pseudonymise_phone($pseudonym_key, phone) as phone_hash,
    pseudonymise_name($pseudonym_key, concat_ws(' ', first_name, last_name)) as name_hash,
    signed_up_at,
    country,
    city,
    birth_date,
    referred_by_customer_id,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    _row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from staged_customers
