insert into raw.reviews by name
select
    review_id,
    platform,
    product,
    location,
    rating,
    title,
    body,
    language,
    pseudonymise_email($pseudonym_key, reviewer_email) as reviewer_email_hash,
    pseudonymise_name($pseudonym_key, reviewer_name) as reviewer_name_hash,
    customer_reference,
    created_at,
    reply_body,
    replied_at,
    -- lineage columns (ingestion/sql/lineage_columns.sql)
from staged_reviews
