{#- Every raw row of `relation_cte` whose key is not null and that is the latest load of
    its key: the latest _loaded_at, then the latest _load_id, then the last row of that
    load. Only keys that more than one row delivers (a corrected re-delivery, a record
    fetched again) are ranked; the rest pass through. A window over every row would hold
    all of them, every column, in memory: at 10M rows it ran out of a 2 GB cap. Winners
    are picked on the key and the ordering columns alone, then joined back to their rows
    on the key, _load_id and _row_number. -#}
{% macro rows_of_latest_load(relation_cte, key_columns) -%}
    {%- set keys_present -%}
        {%- for column in key_columns %}{{ relation_cte }}.{{ column }} is not null{% if not loop.last %} and {% endif %}{% endfor -%}
    {%- endset -%}
    {%- set on_keys -%}
        {%- for column in key_columns %}{{ relation_cte }}.{{ column }} = redelivered.{{ column }}{% if not loop.last %} and {% endif %}{% endfor -%}
    {%- endset -%}
    {%- set on_winner_keys = on_keys | replace('redelivered.', 'winners.') -%}
    with

    redelivered as (

        select {{ key_columns | join(', ') }}
        from {{ relation_cte }}
        where {{ keys_present }}
        group by {{ key_columns | join(', ') }}
        having count(*) > 1

    ),

    winners as (

        select {{ key_columns | join(', ') }}, _load_id, _row_number
        from (
            select
                {%- for column in key_columns %}
                {{ relation_cte }}.{{ column }},
                {%- endfor %}
                {{ relation_cte }}._load_id,
                {{ relation_cte }}._row_number,
                row_number() over (
                    partition by {% for column in key_columns %}{{ relation_cte }}.{{ column }}{% if not loop.last %}, {% endif %}{% endfor %}
                    order by {{ relation_cte }}._loaded_at desc, {{ relation_cte }}._load_id desc, {{ relation_cte }}._row_number desc
                ) as load_recency_rank
            from {{ relation_cte }}
            inner join redelivered
                on {{ on_keys }}
        ) as ranked
        where load_recency_rank = 1

    )

    select {{ relation_cte }}.*
    from {{ relation_cte }}
    left join redelivered
        on {{ on_keys }}
    where redelivered.{{ key_columns[0] }} is null
        and {{ keys_present }}

    union all

    select {{ relation_cte }}.*
    from {{ relation_cte }}
    inner join winners
        on {{ on_winner_keys }}
        and {{ relation_cte }}._load_id = winners._load_id
        and {{ relation_cte }}._row_number = winners._row_number
{%- endmacro %}
