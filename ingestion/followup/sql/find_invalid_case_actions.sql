-- Staged actions that cannot be applied, each with the reason it is quarantined: a
-- required value missing, an action not in the vocabulary, a time that does not read as
-- one, or a case the follow-up queue (as last built, in known_cases) does not hold.
create temp table staged_invalid_actions as
with

checked as (

    select
        staged._row_number,
        nullif(trim(staged.case_id), '') as case_id,
        nullif(lower(trim(staged.action)), '') as action,
        nullif(trim(staged.acted_at), '') as acted_at,
        staged.action as action_as_sent
    from staged

)

select
    _row_number,
    case
        when case_id is null then 'missing case_id'
        when action is null then 'missing action'
        when not list_contains($actions, action)
            then concat('unknown action "', action_as_sent, '" (known: ', array_to_string($actions, ', '), ')')
        when acted_at is null then 'missing at'
        when try_cast(acted_at as timestamptz) is null
            then concat('at "', acted_at, '" is not an ISO 8601 time')
        when case_id not in (select known_cases.case_id from known_cases)
            then concat('unknown case ', case_id, ': not in marts.fct_follow_up_cases as last built')
    end as reason
from checked
where case_id is null
    or action is null
    or not list_contains($actions, action)
    or acted_at is null
    or try_cast(acted_at as timestamptz) is null
    or case_id not in (select known_cases.case_id from known_cases)
