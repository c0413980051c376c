{#- In a select list: one row per position of two parallel lists, their elements side by
    side under the names given (a list shorter than the other gives nulls; a null or
    empty pair of lists gives no row). -#}
{% macro unnest_zipped(first_list, first_name, second_list, second_name) -%}
    {{ return(adapter.dispatch('unnest_zipped')(first_list, first_name, second_list, second_name)) }}
{%- endmacro %}

{#- Two unnests in one select list are zipped element by element. -#}
{% macro default__unnest_zipped(first_list, first_name, second_list, second_name) -%}
    unnest({{ first_list }}) as {{ first_name }},
    unnest({{ second_list }}) as {{ second_name }}
{%- endmacro %}

{#- Spark takes one generator per select list: the zipped list's structs, as columns. -#}
{% macro spark__unnest_zipped(first_list, first_name, second_list, second_name) -%}
    inline(arrays_zip({{ first_list }}, {{ second_list }})) as ({{ first_name }}, {{ second_name }})
{%- endmacro %}
