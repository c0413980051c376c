{#- Stored, not a view: several models and a dozen tests read it, and a view would
    redo its work for each of them (on a million rows, seconds every time).
    Incremental on the load id, like the survey staging models (staged_rows_cte). -#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='platform_review_id',
        on_schema_change='append_new_columns',
        post_hook=[
            "{{ delete_rows_of_loads_left_raw(published_rows(source('reviews', 'reviews'))) }}"
        ]
    )
}}

with

source as {{ not_materialized() }} (

    select * from {{ published_rows(source('reviews', 'reviews')) }}

),

{#- Stored with the platform in lower case. -#}
{{ staged_rows_cte('candidates', 'source', published_rows(source('reviews', 'reviews')), ['lower(platform)', 'review_id'], ['platform', 'review_id']) }},

latest_load as (

    {#- The same review delivered again (edited, or in an overlapping export): the latest load wins. -#}
    select
        *,
        row_number() over (
            partition by lower(platform), review_id
            order by _loaded_at desc, _load_id desc, _row_number desc
        ) as load_recency_rank
    from candidates
    where review_id is not null
        and platform is not null

),

final as (

    select
        {{ surrogate_key(['lower(platform)', 'review_id']) }} as platform_review_id,
        review_id,
        lower(platform) as platform,
        product,
        location,
        rating as rating_raw,
        {#- Typed by the vendor modules when they map a review (star words, `3.0`);
            the raw gate holds a load whose rating is not a whole star. -#}
        {{ try_parse_number('rating') }} as rating,
        {#- Free text is scrubbed of emails and phone numbers here, before anything reads it. -#}
        {{ mask_pii('title') }} as title,
        {{ mask_pii('body') }} as body,
        lower(language) as language,
        reviewer_email_hash,
        reviewer_name_hash,
        customer_reference,
        {{ utc_from_iso_text('created_at') }} as created_at,
        {{ mask_pii('reply_body') }} as reply_body,
        {{ utc_from_iso_text('replied_at') }} as replied_at,
        _source as source_system,
        _file_name as source_file_name,
        _load_id as load_id,
        {{ utc_wall_clock('_loaded_at') }} as loaded_at
    from latest_load
    where load_recency_rank = 1

)

select * from final
