-- The complete responses of every survey with driver items, counted by answer pattern in
-- every cell. A response is complete for an outcome item (an NPS item on 0..10, or a CSAT
-- item) when it answered that item and every driver item of its survey on the registered
-- scale. A cell is an outcome item by period (quarter, all time) and segment (overall,
-- channel, touchpoint, product, location); a pattern is the outcome's raw score with
-- each driver's 0..1 score in its own column (driver_001, driver_002, ... as in
-- driver_items.sql). Respondents who gave the same answers are interchangeable in every
-- statistic of the model, so the model reads each pattern once with its count.
-- DuckDB SQL (PIVOT, COLUMNS): the PostgreSQL build reads its own rows into DuckDB first.
with

survey_items as (

    select
        survey_id,
        source_record_id as response_id,
        item_id,
        instrument,
        nps_group,
        score_value,
        normalised_score,
        channel,
        touchpoint,
        product,
        location,
        occurred_at
    from marts.fct_feedback_items
    where channel = 'survey'
        and instrument in ('nps', 'csat', 'driver')

),

driver_items as (

    select
        survey_id,
        item_id,
        'driver_' || lpad(
            cast(row_number() over (partition by survey_id order by item_id) as varchar), 3, '0'
        ) as driver_column
    from (select distinct survey_id, item_id from survey_items where instrument = 'driver')

),

survey_drivers as (

    select
        survey_id,
        count(*) as driver_count
    from driver_items
    group by survey_id

),

driver_answers as (

    select
        survey_items.survey_id,
        survey_items.response_id,
        driver_items.driver_column,
        survey_items.normalised_score
    from survey_items
    inner join driver_items
        on survey_items.survey_id = driver_items.survey_id
        and survey_items.item_id = driver_items.item_id
    where survey_items.normalised_score is not null

),

driver_scores as (

    -- One row per response, one column per driver position (null where unanswered).
    pivot driver_answers
    on driver_column
    using max(normalised_score)
    group by survey_id, response_id

),

complete_responses as materialized (

    select
        outcomes.survey_id,
        outcomes.instrument as outcome,
        outcomes.item_id as outcome_item_id,
        outcomes.score_value as outcome_score,
        outcomes.channel,
        outcomes.touchpoint,
        outcomes.product,
        outcomes.location,
        cast(date_trunc('quarter', outcomes.occurred_at) as date) as quarter_start,
        cast(outcomes.occurred_at as date) as occurred_on,
        columns('^driver_\d+$')
    from survey_items as outcomes
    inner join driver_scores
        on outcomes.survey_id = driver_scores.survey_id
        and outcomes.response_id = driver_scores.response_id
    inner join survey_drivers
        on outcomes.survey_id = survey_drivers.survey_id
    where (
            (outcomes.instrument = 'nps' and outcomes.nps_group is not null)
            or (outcomes.instrument = 'csat' and outcomes.score_value is not null)
        )
        and list_aggregate(list_value(*columns('^driver_\d+$')), 'count')
            = survey_drivers.driver_count

),

quarter_cells as (

    -- A response without a value for a segment is left out of that segment.
    select
        survey_id, outcome, outcome_item_id, quarter_start,
        'overall' as segment_type, 'all' as segment_value,
        outcome_score, columns('^driver_\d+$'), count(*) as responses
    from complete_responses
    group by all
    union all by name
    select
        survey_id, outcome, outcome_item_id, quarter_start,
        'channel' as segment_type, channel as segment_value,
        outcome_score, columns('^driver_\d+$'), count(*) as responses
    from complete_responses
    where channel is not null
    group by all
    union all by name
    select
        survey_id, outcome, outcome_item_id, quarter_start,
        'touchpoint' as segment_type, touchpoint as segment_value,
        outcome_score, columns('^driver_\d+$'), count(*) as responses
    from complete_responses
    where touchpoint is not null
    group by all
    union all by name
    select
        survey_id, outcome, outcome_item_id, quarter_start,
        'product' as segment_type, product as segment_value,
        outcome_score, columns('^driver_\d+$'), count(*) as responses
    from complete_responses
    where product is not null
    group by all
    union all by name
    select
        survey_id, outcome, outcome_item_id, quarter_start,
        'location' as segment_type, location as segment_value,
        outcome_score, columns('^driver_\d+$'), count(*) as responses
    from complete_responses
    where location is not null
    group by all

),

first_days as (

    -- An all-time cell starts on the first day of its outcome's complete responses.
    select
        survey_id,
        outcome_item_id,
        min(occurred_on) as first_day
    from complete_responses
    group by survey_id, outcome_item_id

),

cells as (

    select
        survey_id, outcome, outcome_item_id,
        'quarter' as period_grain, quarter_start as period_start,
        segment_type, segment_value,
        outcome_score, columns('^driver_\d+$'), responses
    from quarter_cells
    union all by name
    -- All time: the quarters' counts added up, rather than every response counted again.
    select
        quarter_cells.survey_id, quarter_cells.outcome, quarter_cells.outcome_item_id,
        'all_time' as period_grain, first_days.first_day as period_start,
        quarter_cells.segment_type, quarter_cells.segment_value,
        quarter_cells.outcome_score, columns('^driver_\d+$'), sum(quarter_cells.responses) as responses
    from quarter_cells
    inner join first_days
        on quarter_cells.survey_id = first_days.survey_id
        and quarter_cells.outcome_item_id = first_days.outcome_item_id
    group by all

)

select
    dense_rank() over (
        order by survey_id, outcome_item_id, period_grain, period_start, segment_type, segment_value
    ) as cell_number,
    survey_id,
    outcome,
    outcome_item_id,
    period_grain,
    period_start,
    segment_type,
    segment_value,
    cast(outcome_score as double) as outcome_score,
    columns('^driver_\d+$'),
    cast(responses as bigint) as responses
from cells
order by cell_number
