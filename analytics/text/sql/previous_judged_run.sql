-- The latest run before $run_id that scored enough texts to judge its undetermined share.
select run_id, texts_scored, undetermined_scored
from analytics.text_scoring_runs
where finished_at < (select finished_at from analytics.text_scoring_runs where run_id = $run_id)
    and texts_scored >= $min_texts
order by finished_at desc
limit 1
