insert into analytics.text_scoring_runs
select
    run_id,
    started_at,
    finished_at,
    input_texts,
    languages_detected,
    texts_scored,
    undetermined_scored,
    model_version,
    dictionary_version,
    refitted,
    texts_per_second
from new_run
