-- One row per published table: which build it came from, how many rows it holds, and
-- the fingerprint of its rows that the next publish compares to copy only what changed.
create table pipeline.publication (
    build_id varchar not null,
    published_at timestamptz not null,
    table_name varchar not null,
    row_count bigint not null,
    fingerprint varchar not null
)
