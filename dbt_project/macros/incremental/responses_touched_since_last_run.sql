{#- For the survey staging models, incremental on the load id: the (survey_id, response_id)
    pairs of the raw rows in `source_cte` that a load this model has not stored yet
    delivers, and of the stored rows whose load has left raw (a corrected re-delivery
    replaced it). Their winners are recomputed over every load. -#}
{% macro responses_touched_since_last_run(source_cte) -%}
    select distinct survey_id, response_id
    from {{ source_cte }}
    where _load_id not in (select distinct load_id from {{ this }})

    union

    select distinct survey_id, response_id
    from {{ this }}
    where load_id not in (select distinct _load_id from {{ source_cte }})
{%- endmacro %}
