{#- What of a registry entry decides how its answers are scored: when this changes, the
    item's feedback rows are redone. -#}
{% macro registry_fingerprint(relation) -%}
    {{ surrogate_key([
        relation ~ '.instrument', relation ~ '.item_name', relation ~ '.scale_min',
        relation ~ '.scale_max', relation ~ '.direction'
    ]) }}
{%- endmacro %}

{#- The registry instruments whose answers become feedback items; attribute and category
    items describe the response rather than rate anything. -#}
{% macro feedback_item_instruments() -%}
    {{ return(['nps', 'csat', 'ces', 'driver', 'intent', 'open_text']) }}
{%- endmacro %}
