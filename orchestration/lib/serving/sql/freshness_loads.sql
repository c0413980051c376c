-- Loads that reached staging, files and API windows alike, for the freshness per source.
create temp table freshness_loads (
    source varchar not null,
    load_name varchar not null,
    rows_loaded bigint,
    finished_at timestamptz not null
)
