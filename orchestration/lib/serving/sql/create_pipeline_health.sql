-- What the dashboard's Data health page reads besides the load ledger; created even when
-- the warehouse has nothing to put in them, so an empty table means "none".
create table pipeline.held_loads (
    load_id varchar not null,
    file_name varchar not null,
    source varchar,
    format varchar,
    target_table varchar,
    held_by varchar,
    expectation varchar,
    column_name varchar,
    failing_rows bigint,
    failed_expectations bigint not null,
    held_at timestamptz not null
);

create table pipeline.source_freshness (
    source varchar not null,
    loads bigint not null,
    rows_loaded bigint not null,
    last_loaded_at timestamptz not null,
    last_load_name varchar not null,
    hours_since_last_load double not null,
    warn_after_hours double not null,
    fail_after_hours double not null,
    freshness_status varchar not null
);

create table pipeline.check_results (
    asset_key varchar not null,
    check_name varchar not null,
    is_blocking boolean not null,
    outcome varchar not null,
    severity varchar,
    description varchar,
    failed_rows bigint,
    run_id varchar,
    evaluated_at timestamptz
);
