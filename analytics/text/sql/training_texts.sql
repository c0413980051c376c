-- The labelled texts a model is fitted on: per language the $per_language most recent.
select
    texts.feedback_item_id,
    texts.text_value,
    languages.language,
    case texts.weak_label when 'positive' then 1 else 0 end as label
from intermediate.int_feedback_texts as texts
inner join analytics.text_languages as languages
    on texts.feedback_item_id = languages.feedback_item_id
where texts.weak_label is not null
qualify row_number() over (
    partition by languages.language
    order by texts.occurred_at desc, texts.feedback_item_id
) <= $per_language
order by texts.feedback_item_id
