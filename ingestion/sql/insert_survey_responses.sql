insert into raw.survey_responses by name
select
    survey_id,
    response_id,
    started_at,
    submitted_at,
    source_timezone,
    duration_seconds,
    is_finished,
    progress,
    distribution_channel,
    user_language,
    external_reference,
    pseudonymise_email($pseudonym_key, respondent_email) as respondent_email_hash,
    pseudonymise_name(
        $pseudonym_key, concat_ws(' ', respondent_first_name, respondent_last_name)
    ) as respondent_name_hash,
    -- lineage columns (ingestion/sql/lineage_columns.sql)
from staged_survey_responses
