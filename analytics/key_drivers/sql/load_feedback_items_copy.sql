-- PostgreSQL's feedback items ($path: its CSV export of postgres_feedback_items.sql) as
-- marts.fct_feedback_items of an in-memory DuckDB database, where the model's SQL runs.
-- A quoted empty field is an empty text, an unquoted one a null, as PostgreSQL writes them.
create table marts.fct_feedback_items as
select *
from read_csv(
    $path,
    header = false,
    allow_quoted_nulls = false,
    columns = {
        'survey_id': 'varchar',
        'source_record_id': 'varchar',
        'item_id': 'varchar',
        'instrument': 'varchar',
        'item_name': 'varchar',
        'nps_group': 'varchar',
        'scale_min': 'integer',
        'scale_max': 'integer',
        'score_value': 'double',
        'normalised_score': 'double',
        'channel': 'varchar',
        'touchpoint': 'varchar',
        'product': 'varchar',
        'location': 'varchar',
        'occurred_at': 'timestamp'
    }
)
