-- new_model (one row) becomes the current model; new_card holds its model card rows.
-- Weights of models no longer current are dropped (their card rows stay, as history).
update analytics.text_sentiment_models set is_current = false where is_current;

delete from analytics.text_sentiment_models
where model_version in (select model_version from new_model)
    or not is_current;

insert into analytics.text_sentiment_models
select
    model_version,
    fitted_at,
    labelled_texts,
    training_texts,
    settings_fingerprint,
    weights,
    true
from new_model;

delete from analytics.text_model_card
where model_version in (select model_version from new_model);

insert into analytics.text_model_card
select
    model_version,
    language,
    model_used,
    is_fallback,
    fallback_reason,
    labelled_texts,
    negative_texts,
    positive_texts,
    cv_folds,
    cv_accuracy,
    cv_macro_f1,
    fitted_at,
    fitted_at
from new_card;
