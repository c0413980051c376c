{#- The rows of a raw table that staging may read: those of loads the raw gate published
    (raw.load_audits). A load that failed a blocking expectation is held there and stays
    out of every model until `pulse release`; a load not audited yet is not read either.
    Written as an aliased subquery, so it stands wherever the raw relation stood. -#}
{% macro published_rows(raw_relation) -%}
    (select * from {{ raw_relation }} where _load_id in (select load_id from {{ source('vendors', 'load_audits') }} where status = 'published')) as published_{{ raw_relation.identifier }}
{%- endmacro %}
