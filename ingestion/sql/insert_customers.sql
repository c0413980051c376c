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
    -- lineage columns (ingestion/sql/lineage_columns.sql)
from staged_customers
