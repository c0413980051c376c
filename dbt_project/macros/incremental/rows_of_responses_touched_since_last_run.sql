{#- For the survey staging models, incremental on the load id: every raw row in
    `source_cte` of the responses a run must redo, i.e. responses that a load this model
    has not stored yet delivers, and stored responses whose load has left raw (a corrected
    re-delivery replaced it). Their winners are recomputed over every load. -#}
{% macro rows_of_responses_touched_since_last_run(source_cte) -%}
    select {{ source_cte }}.*
    from {{ source_cte }}
    inner join (
        select distinct survey_id, response_id
        from {{ source_cte }}
        where _load_id not in (select distinct load_id from {{ this }})

        union

        select distinct survey_id, response_id
        from {{ this }}
        where load_id not in (select distinct _load_id from {{ source_cte }})
    ) as touched_responses
        on {{ source_cte }}.survey_id = touched_responses.survey_id
        and {{ source_cte }}.response_id = touched_responses.response_id
{%- endmacro %}
