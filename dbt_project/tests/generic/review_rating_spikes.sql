{#- Warns for every day on which one platform's count of low (1-2 star) or high (4-5 star)
    reviews exceeds multiplier times its trailing daily mean over the trailing_days before
    (days without reviews count as zero) and is at least min_count (vars
    review_spike_multiplier 3, review_spike_min_count 10, review_spike_trailing_days 28).
    Days without a full trailing window of the platform's history are not judged. -#}
{% test review_rating_spikes(model, column_name, platform_column, time_column, multiplier=none, min_count=none, trailing_days=none) %}
{{ config(severity='warn') }}
{%- set spike_multiplier = multiplier if multiplier is not none else var('review_spike_multiplier') %}
{%- set spike_min_count = min_count if min_count is not none else var('review_spike_min_count') %}
{%- set window_days = trailing_days if trailing_days is not none else var('review_spike_trailing_days') %}

{{ review_rating_spike_days(model, column_name, platform_column, time_column, spike_multiplier, spike_min_count, window_days) }}

{% endtest %}
