-- The checks an earlier copy reports: carried into the next copy for the assets its run
-- did not select.
select asset_key, check_name, is_blocking
from pipeline.check_results
order by asset_key, check_name
