-- One row per published table: which build it came from and how many rows it holds.
create table pipeline.publication (
    build_id varchar not null,
    published_at timestamptz not null,
    table_name varchar not null,
    row_count bigint not null
)
