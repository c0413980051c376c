{#- For the post-hook of int_feedback_items on an incremental run: delete the stored survey
    items whose answer load has left `answers` (a corrected re-delivery replaced it), and
    those whose registry entry in `registry` changed or no longer names an instrument of
    feedback_item_instruments().

    Which loads and entries those are is looked up first, over the few distinct (load,
    survey, item, fingerprint) groups the table holds, and written into the delete as
    literals; on most runs there are none and nothing is deleted. A delete that tested
    every stored item against both took 20.7 s at L (118M items) on a run that deleted
    nothing (docs/performance.md). -#}
{% macro delete_survey_items_gone_upstream(answers, registry) -%}
    {%- if execute and is_incremental() -%}
        {%- set stale_groups = run_query(
            "with current_loads as (select distinct load_id from " ~ answers ~ "),"
            ~ " groups as (select distinct answer_load_id, survey_id, item_id, registry_fingerprint"
            ~ " from " ~ this ~ " where channel = 'survey'),"
            ~ " stored as (select groups.*,"
            ~ " groups.answer_load_id not in (select load_id from current_loads) as load_gone"
            ~ " from groups)"
            ~ " select * from stored"
            ~ " where stored.load_gone"
            ~ " or not exists (select 1 from " ~ registry ~ " as registry"
            ~ " where registry.survey_id = stored.survey_id and registry.item_id = stored.item_id"
            ~ " and " ~ registry_fingerprint('registry') ~ " = stored.registry_fingerprint"
            ~ " and registry.instrument in (" ~ string_literals(feedback_item_instruments()) ~ "))"
        ) -%}
        {%- set gone_loads = [] -%}
        {%- set changed_entries = [] -%}
        {%- for group in stale_groups.rows -%}
            {%- if group['load_gone'] -%}
                {%- do gone_loads.append(group['answer_load_id']) -%}
            {%- else -%}
                {%- do changed_entries.append(group) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if gone_loads or changed_entries %}
            delete from {{ this }}
            where channel = 'survey'
                and (
                    answer_load_id in ({{ load_id_literals(gone_loads | unique | list) }})
                    {%- for entry in changed_entries %}
                    or (
                        survey_id = {{ string_literals([entry['survey_id']]) }}
                        and item_id = {{ string_literals([entry['item_id']]) }}
                        and registry_fingerprint = {{ string_literals([entry['registry_fingerprint']]) }}
                    )
                    {%- endfor %}
                )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

