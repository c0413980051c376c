-- Keyed on the page's responses, so an answer removed by an edit does not linger.
delete from raw.survey_answers as loaded
where loaded._source = $source
    and starts_with(loaded._file_name, 'api:')
    and exists (
        select 1
        from staged_survey_responses as page
        where page.survey_id = loaded.survey_id and page.response_id = loaded.response_id
    )
returning _load_id
