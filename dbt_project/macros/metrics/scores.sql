{#- Item-level scoring: turn a raw score on its registered scale into comparable values.
    Arguments are SQL expressions; direction is 'higher_is_better' or 'lower_is_better'. -#}

{#- The score turned so that higher is always better, still on its own scale. -#}
{% macro oriented_score(score, scale_min, scale_max, direction) -%}
    case
        when {{ direction }} = 'lower_is_better'
            then ({{ scale_min }}) + ({{ scale_max }}) - ({{ score }})
        else {{ score }}
    end
{%- endmacro %}

{#- 0..1 after direction: 0 is the worst answer on the scale, 1 the best. -#}
{% macro normalised_score(score, scale_min, scale_max, direction) -%}
    case
        when ({{ scale_max }}) > ({{ scale_min }})
            then (
                ({{ oriented_score(score, scale_min, scale_max, direction) }}) - ({{ scale_min }})
            ) * 1.0 / (({{ scale_max }}) - ({{ scale_min }}))
    end
{%- endmacro %}

{#- promoter 9-10 / passive 7-8 / detractor 0-6, only for an item on a true 0..10 scale. -#}
{% macro nps_group(score, scale_min, scale_max) -%}
    case
        when ({{ scale_min }}) = 0 and ({{ scale_max }}) = 10 then
            case
                when ({{ score }}) >= 9 then 'promoter'
                when ({{ score }}) >= 7 then 'passive'
                when ({{ score }}) >= 0 then 'detractor'
            end
    end
{%- endmacro %}

{#- Top two boxes after direction (4-5 on 1..5, 6-7 on 1..7, 9-10 on 1..10). -#}
{% macro csat_top_box(score, scale_min, scale_max, direction) -%}
    case
        when ({{ score }}) is not null
            then ({{ oriented_score(score, scale_min, scale_max, direction) }}) >= ({{ scale_max }}) - 1
    end
{%- endmacro %}

{#- CES on the CES 2.0 agreement scale 1..7: other scales (such as CES 1.0, 1..5 with
    lower effort better) are turned by direction and stretched linearly onto 1..7. -#}
{% macro ces_score_1_to_7(score, scale_min, scale_max, direction) -%}
    (1 + 6 * ({{ normalised_score(score, scale_min, scale_max, direction) }}))
{%- endmacro %}

{#- Agrees that it was easy: 5..7 on the 1..7 scale. -#}
{% macro ces_agree(score, scale_min, scale_max, direction) -%}
    case
        when ({{ score }}) is not null
            then ({{ ces_score_1_to_7(score, scale_min, scale_max, direction) }}) >= 5
    end
{%- endmacro %}
