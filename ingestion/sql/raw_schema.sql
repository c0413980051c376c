-- Raw layer: append-only, text as received, lineage on every row.
-- Identity columns (emails, phones, names) arrive here already pseudonymised with the
-- keyed hash; free text is kept as received and scrubbed in staging.
-- Every data table carries the same lineage columns:
--   _source       vendor or format that produced the row (qualtrics, google_forms, ...)
--   _file_name    path of the landing file, relative to the landing folder
--   _file_hash    sha256 of the file's bytes
--   _row_number   1-based number of the data row within the file
--   _load_id      the load (one per file) that wrote the row
--   _loaded_at    when the load ran (UTC)

create schema if not exists raw;

create table if not exists raw.load_ledger (
    load_id varchar primary key,
    file_name varchar not null,
    file_hash varchar not null,
    file_size bigint not null,
    encoding varchar,
    source varchar,
    format varchar,
    target_table varchar,
    rows_in bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    -- loaded | held (its raw gate failed: see raw.load_audits) | superseded | dropped
    -- | skipped (it describes data: a survey definition) | skipped_duplicate | failed
    status varchar not null,
    error varchar,
    started_at timestamptz not null,
    finished_at timestamptz,
    run_id varchar                    -- the pipeline run that made the attempt (null: the CLI)
);
-- Warehouses created before runs were named in the ledger gain the column (null before).
alter table raw.load_ledger add column if not exists run_id varchar;

create table if not exists raw.quarantine (
    load_id varchar not null,
    _source varchar,
    _file_name varchar not null,
    _file_hash varchar not null,
    line_number bigint,               -- line in the file where the rejected record starts
    target_table varchar,
    original_line varchar,            -- the record exactly as it stood in the file
    reason varchar not null,
    quarantined_at timestamptz not null
);

-- One row per survey response (any survey vendor).
create table if not exists raw.survey_responses (
    survey_id varchar,
    response_id varchar,
    started_at varchar,
    submitted_at varchar,
    source_timezone varchar,          -- zone the vendor wrote time stamps in
    duration_seconds varchar,
    is_finished varchar,
    progress varchar,
    distribution_channel varchar,
    user_language varchar,
    external_reference varchar,       -- the team's own customer id, when the panel passes it
    respondent_email_hash varchar,
    respondent_name_hash varchar,
    _source varchar not null,
    _file_name varchar not null,
    _file_hash varchar not null,
    _row_number bigint not null,
    _load_id varchar not null,
    _loaded_at timestamptz not null
);

-- One row per response of a load with at least one answer: items and answers as two
-- parallel lists, in the file's column order (a wide export's blank cell as a null answer).
-- Staging unnests them; writing a list per response costs a fraction of one row per answer.
create table if not exists raw.survey_answers (
    survey_id varchar,
    response_id varchar,
    item_ids varchar[],               -- export column ids (Qualtrics Q1, QID2_TEXT; Google Forms header)
    answers varchar[],                -- answers[i] answers item_ids[i]; null: left blank
    _source varchar not null,
    _file_name varchar not null,
    _file_hash varchar not null,
    _row_number bigint not null,
    _load_id varchar not null,
    _loaded_at timestamptz not null
);

-- The questions each survey file declares (header rows), for registry matching and docs.
create table if not exists raw.survey_questions (
    survey_id varchar,
    item_id varchar,
    item_position integer,
    question_text varchar,
    import_id varchar,
    _source varchar not null,
    _file_name varchar not null,
    _file_hash varchar not null,
    _load_id varchar not null,
    _loaded_at timestamptz not null
);

-- The survey registry (YAML), as of the latest load: which item is which instrument.
create table if not exists raw.survey_registry (
    survey_id varchar not null,
    item_id varchar not null,
    instrument varchar not null,      -- nps | csat | ces | driver | intent | open_text | category | attribute
    item_name varchar,                -- driver or intent name; for attributes the segment it fills
    scale_min integer,
    scale_max integer,
    direction varchar,                -- higher_is_better | lower_is_better
    question_text varchar,
    vendor varchar,
    channel varchar,                  -- how the survey was sent: email, web, in_app, sms
    touchpoint varchar,               -- survey-level default when no attribute column carries it
    timezone varchar,
    survey_kind varchar,              -- relationship | transactional
    duplicate_window_days integer,    -- the survey's own duplicate-respondent window, if set
    _loaded_at timestamptz not null
);
-- Warehouses created before the survey kind existed gain its columns (null until reloaded).
alter table raw.survey_registry add column if not exists survey_kind varchar;
alter table raw.survey_registry add column if not exists duplicate_window_days integer;

create table if not exists raw.reviews (
    review_id varchar,
    platform varchar,
    product varchar,
    location varchar,
    rating varchar,
    title varchar,
    body varchar,
    language varchar,
    reviewer_email_hash varchar,
    reviewer_name_hash varchar,
    customer_reference varchar,
    created_at varchar,
    reply_body varchar,
    replied_at varchar,
    _source varchar not null,
    _file_name varchar not null,
    _file_hash varchar not null,
    _row_number bigint not null,
    _load_id varchar not null,
    _loaded_at timestamptz not null
);

-- One row per poll option, with its vote count as the platform reported it.
create table if not exists raw.poll_options (
    poll_id varchar,
    platform varchar,
    question varchar,
    option_position varchar,
    option_label varchar,
    votes varchar,
    voting_status varchar,
    started_at varchar,
    ends_at varchar,
    topic varchar,
    _source varchar not null,
    _file_name varchar not null,
    _file_hash varchar not null,
    _row_number bigint not null,
    _load_id varchar not null,
    _loaded_at timestamptz not null
);

create table if not exists raw.customers (
    customer_id varchar,
    email_hash varchar,
    phone_hash varchar,
    name_hash varchar,
    signed_up_at varchar,
    country varchar,
    city varchar,
    birth_date varchar,
    referred_by_customer_id varchar,
    _source varchar not null,
    _file_name varchar not null,
    _file_hash varchar not null,
    _row_number bigint not null,
    _load_id varchar not null,
    _loaded_at timestamptz not null
);

create table if not exists raw.orders (
    order_id varchar,
    customer_id varchar,
    ordered_at varchar,
    status varchar,
    currency varchar,
    gross_amount varchar,
    discount_amount varchar,
    net_amount varchar,
    channel varchar,
    location varchar,
    product_category varchar,
    _source varchar not null,
    _file_name varchar not null,
    _file_hash varchar not null,
    _row_number bigint not null,
    _load_id varchar not null,
    _loaded_at timestamptz not null
);

-- One row per action a team took on a follow-up case (landing files of the followup
-- family, and `pulse followup close`); actions for cases the queue does not hold are
-- quarantined on load.
create table if not exists raw.case_actions (
    case_id varchar,
    action varchar,                   -- dbt_project/seeds/case_action_types.csv
    actor varchar,                    -- who acted: a team member's handle
    acted_at varchar,                 -- when, ISO 8601 (UTC once the loader has read it)
    note varchar,
    _source varchar not null,
    _file_name varchar not null,
    _file_hash varchar not null,
    _row_number bigint not null,
    _load_id varchar not null,
    _loaded_at timestamptz not null
);

-- Vendor API pulls. Every window (one run of one vendor endpoint) is recorded here, and the
-- rows it wrote carry _file_name = the window id (api:<vendor>:<endpoint>:<start>).
create table if not exists raw.api_windows (
    window_id varchar primary key,
    vendor varchar not null,
    endpoint varchar not null,
    cursor_before varchar,
    cursor_after varchar,
    pages bigint,
    rows_loaded bigint,
    status varchar not null,          -- running | loaded | failed
    error varchar,
    started_at timestamptz not null,
    finished_at timestamptz
);

-- Rows each window inserted into each raw table, and how many of them later pages (of
-- this or a later window) replaced: the table must still hold inserted - replaced rows
-- of the window, which the ledger reconciliation checks.
create table if not exists raw.api_window_rows (
    window_id varchar not null,
    table_name varchar not null,      -- raw.<table>
    rows_loaded bigint not null,
    rows_replaced bigint not null,
    primary key (window_id, table_name)
);

-- Where the next window of each vendor endpoint starts; advanced only after a window's
-- pages are committed.
create table if not exists raw.api_cursors (
    vendor varchar not null,
    endpoint varchar not null,
    cursor_value varchar,
    updated_at timestamptz not null,
    primary key (vendor, endpoint)
);

-- Every vendor record an API window wrote, with a hash of its content as received: a
-- replayed or overlapping page whose records are unchanged writes nothing.
create table if not exists raw.api_records (
    vendor varchar not null,
    endpoint varchar not null,
    record_key varchar not null,
    content_hash varchar not null,
    window_id varchar not null,
    recorded_at timestamptz not null,
    primary key (vendor, endpoint, record_key)
);

-- The feedback sources the vendor registry knows (ingestion/vendors), rewritten on every
-- load: the raw gates and dbt's relationships tests read this one list.
create table if not exists raw.feedback_sources (
    source varchar primary key,       -- a review or poll platform, or a survey vendor
    family varchar not null,          -- surveys | reviews | polls
    channel varchar not null,         -- survey | review | poll
    scale_min integer,                -- star ratings: the platform's scale
    scale_max integer,
    vendors varchar[] not null        -- the vendor modules that deliver it
);

-- API rows name the vendor module whose mapping they follow (as files of the same vendor
-- do); warehouses loaded before take the new names, so later windows replace their rows.
update raw.reviews set _source = 'google_business_profile'
where _source = 'google_business' and starts_with(_file_name, 'api:');
update raw.reviews set _source = 'apple_app_store'
where _source = 'app_store_connect' and starts_with(_file_name, 'api:');

-- Write, audit, publish: a load's rows are in raw once written, and visible to staging only
-- once every raw suite of the tables it wrote has passed it (status published). A load that
-- fails a blocking expectation is held: it stays in raw, out of the marts, until
-- `pulse release` re-audits it or `pulse drop` removes it. Loads with no row here are not
-- audited yet.
create table if not exists raw.load_audits (
    load_id varchar primary key,
    status varchar not null,          -- published | held
    held_by varchar,                  -- the suite that holds it
    reason varchar,                   -- one line: file, source, expectation, count, examples
    failures varchar,                 -- JSON: the failing expectations, counts, example values
    audited_at timestamptz not null,
    released_at timestamptz           -- when `pulse release` let a held load through
);

-- Requests to forget a person (`pulse forget`): the keyed hash of the e-mail address or
-- customer id, never the value. Every later load withholds the rows they match, so a
-- re-delivered old file does not bring the person back.
create table if not exists raw.forget_requests (
    subject_hash varchar not null,
    subject_kind varchar not null,    -- email | customer_id
    requested_at timestamptz not null,
    primary key (subject_hash, subject_kind)
);

-- Raw tables whose rows were edited in place (names masked in texts loaded earlier, free
-- text redacted by the retention period, an address masked on request): their loads and
-- row counts stay the same, so dbt's build scope reads the revision to rebuild, in full,
-- the models downstream of them (orchestration/build_scope.py).
create table if not exists raw.table_edits (
    table_name varchar primary key,   -- raw table name, without the schema
    revision bigint not null,
    edited_at timestamptz not null,
    reason varchar
);
