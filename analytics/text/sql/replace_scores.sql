-- new_scores and new_mentions: the texts just scored; items gone from the input leave.
delete from analytics.text_scores
where feedback_item_id in (select feedback_item_id from new_scores)
    or feedback_item_id not in (select feedback_item_id from intermediate.int_feedback_texts);

delete from analytics.text_theme_mentions
where feedback_item_id in (select feedback_item_id from new_scores)
    or feedback_item_id not in (select feedback_item_id from intermediate.int_feedback_texts);

insert into analytics.text_scores
select
    feedback_item_id,
    text_hash,
    language,
    language_source,
    language_confidence,
    sentiment_score,
    sentiment_label,
    sentiment_model,
    themes,
    theme_count,
    model_version,
    dictionary_version,
    scored_at
from new_scores;

insert into analytics.text_theme_mentions
select
    feedback_item_id,
    theme,
    dictionary_version,
    scored_at
from new_mentions;
