{#- Named RFM segment from the recency, frequency and monetary scores (each 1..5, 5 best).
    The first matching rule wins; the table is documented on dim_customer_rfm.rfm_segment.
      recency 4-5: champions (frequency >= 4 and monetary >= 4), loyal (frequency >= 4),
                   potential_loyalist (frequency 2-3), new (frequency 1)
      recency 3:   loyal (frequency >= 4), need_attention (frequency <= 3)
      recency 1-2: at_risk (frequency >= 3), hibernating (recency 2), lost (recency 1) -#}
{% macro rfm_segment(recency_score, frequency_score, monetary_score) -%}
    case
        when {{ recency_score }} >= 4 and {{ frequency_score }} >= 4 and {{ monetary_score }} >= 4 then 'champions'
        when {{ recency_score }} >= 3 and {{ frequency_score }} >= 4 then 'loyal'
        when {{ recency_score }} >= 4 and {{ frequency_score }} >= 2 then 'potential_loyalist'
        when {{ recency_score }} >= 4 then 'new'
        when {{ recency_score }} = 3 then 'need_attention'
        when {{ frequency_score }} >= 3 then 'at_risk'
        when {{ recency_score }} = 2 then 'hibernating'
        else 'lost'
    end
{%- endmacro %}
