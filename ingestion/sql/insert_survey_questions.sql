insert into raw.survey_questions by name
select
    $survey_id as survey_id,
    item_id,
    item_position,
    question_text,
    import_id,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from staged_items
