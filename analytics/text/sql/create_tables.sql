-- The text scorer's tables (analytics/text/scoring.py). dbt reads text_scores,
-- text_theme_mentions, text_model_card and text_uncategorised_phrases as sources; the
-- others are the scorer's own state. No primary keys: a run deletes and re-inserts the
-- rows it rescores, and dbt tests the keys downstream.
create schema if not exists analytics;

create table if not exists analytics.text_languages (
    feedback_item_id varchar not null,
    text_hash varchar not null,
    vendor_language varchar,
    language varchar not null,
    language_source varchar not null,
    language_confidence double,
    detector_version varchar not null,
    detected_at timestamp not null
);

create table if not exists analytics.text_scores (
    feedback_item_id varchar not null,
    text_hash varchar not null,
    language varchar not null,
    language_source varchar not null,
    language_confidence double,
    -- Null while there is too little labelled text for a model (model_version untrained).
    sentiment_score double,
    sentiment_label varchar,
    sentiment_model varchar,
    themes varchar,
    theme_count integer not null,
    model_version varchar not null,
    dictionary_version varchar not null,
    scored_at timestamp not null
);

create table if not exists analytics.text_theme_mentions (
    feedback_item_id varchar not null,
    theme varchar not null,
    dictionary_version varchar not null,
    scored_at timestamp not null
);

-- The fitted models: the weights as a numpy archive (only the non-zero weights), so a
-- run that needs no refit loads them instead of training again.
create table if not exists analytics.text_sentiment_models (
    model_version varchar not null,
    fitted_at timestamp not null,
    labelled_texts bigint not null,
    training_texts bigint not null,
    settings_fingerprint varchar not null,
    weights blob not null,
    is_current boolean not null
);

create table if not exists analytics.text_model_card (
    model_version varchar not null,
    language varchar not null,
    model_used varchar not null,
    is_fallback boolean not null,
    fallback_reason varchar,
    labelled_texts bigint not null,
    negative_texts bigint not null,
    positive_texts bigint not null,
    cv_folds integer not null,
    cv_accuracy double,
    cv_macro_f1 double,
    fitted_at timestamp not null,
    -- The latest run that scored with this model (every run stamps the current model).
    scored_at timestamp not null
);

create table if not exists analytics.text_uncategorised_phrases (
    language varchar not null,
    phrase varchar not null,
    phrase_words integer not null,
    uncategorised_sentences bigint not null,
    uncategorised_sentences_read bigint not null,
    categorised_sentences bigint not null,
    categorised_sentences_read bigint not null,
    lift double,
    phrase_rank integer not null,
    dictionary_version varchar not null,
    -- The latest run, which counted the phrases again or found nothing new to count.
    scored_at timestamp not null
);

create table if not exists analytics.text_scoring_runs (
    run_id varchar not null,
    started_at timestamp not null,
    finished_at timestamp not null,
    input_texts bigint not null,
    languages_detected bigint not null,
    texts_scored bigint not null,
    undetermined_scored bigint not null,
    model_version varchar not null,
    dictionary_version varchar not null,
    refitted boolean not null,
    texts_per_second double
);
