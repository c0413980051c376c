-- The latest scoring run.
select run_id, texts_scored, undetermined_scored, finished_at
from analytics.text_scoring_runs
order by finished_at desc
limit 1
