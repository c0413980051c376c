-- The $per_language most recent texts of each language, for the uncategorised phrases.
select
    scores.language,
    texts.text_value
from analytics.text_scores as scores
inner join intermediate.int_feedback_texts as texts
    on scores.feedback_item_id = texts.feedback_item_id
where scores.language <> 'und'
    and texts.is_own_brand
qualify row_number() over (
    partition by scores.language
    order by texts.occurred_at desc, texts.feedback_item_id
) <= $per_language
order by scores.language, texts.feedback_item_id
