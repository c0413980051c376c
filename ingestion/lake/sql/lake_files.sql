-- The lake's ledger: every file of the Parquet raw layer (ingestion/lake), named by its
-- path under the lake root. A row is committed in the same transaction as the rows it
-- holds; the file appears under that path only after the commit (it is written under a
-- temporary name before). A file under raw/ that no row names is left over from a killed
-- process and is removed by the next sync.
create table if not exists raw.lake_files (
    path varchar not null,            -- relative to the lake root
    table_name varchar not null,      -- the raw table the rows come from
    load_id varchar,                  -- the load that wrote them; null: a whole-table snapshot
    load_date date,                   -- the partition: the load's date (UTC)
    row_count bigint not null,
    written_at timestamptz not null
);
