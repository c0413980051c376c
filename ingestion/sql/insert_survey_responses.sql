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
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    _row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from staged_survey_responses
