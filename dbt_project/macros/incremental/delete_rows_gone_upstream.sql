{#- For the post-hook of an incremental copy of `upstream` (same key, same rows): once the
    run's rows are in, this table holds every key of `upstream`, so a count above
    upstream's means rows upstream deleted. Only then is the anti-join run: on most runs
    the two counts settle it without comparing millions of keys. A count below upstream's
    means the copy lost rows, which no incremental run can repair: the run fails.
    `stored_rows` and `upstream_rows` (SQL conditions) narrow both sides to the rows that
    correspond, when this table copies only some of upstream's rows. -#}
{% macro delete_rows_gone_upstream(upstream, key_column, stored_rows='true', upstream_rows='true') -%}
    {%- if execute -%}
        {%- set surplus = run_query(
            "select (select count(*) from " ~ this ~ " where " ~ stored_rows ~ ")"
            ~ " - (select count(*) from " ~ upstream ~ " where " ~ upstream_rows ~ ")"
        ).columns[0].values()[0] -%}
        {%- if surplus < 0 -%}
            {{ exceptions.raise_compiler_error(
                this ~ " lacks " ~ (0 - surplus) ~ " rows of " ~ upstream
                ~ ": rebuild it with dbt build --full-refresh --select " ~ this.identifier
            ) }}
        {%- elif surplus > 0 %}
            delete from {{ this }} as stored
            where ({{ stored_rows }})
                and not exists (
                    select 1
                    from {{ upstream }} as current_rows
                    where current_rows.{{ key_column }} = stored.{{ key_column }}
                        and ({{ upstream_rows }})
                )
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
