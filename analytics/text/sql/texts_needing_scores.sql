-- Texts not scored for this text, language, model and dictionary.
select
    texts.feedback_item_id,
    texts.text_hash,
    texts.text_value,
    languages.language,
    languages.language_source,
    languages.language_confidence
from intermediate.int_feedback_texts as texts
inner join analytics.text_languages as languages
    on texts.feedback_item_id = languages.feedback_item_id
left join analytics.text_scores as scored
    on texts.feedback_item_id = scored.feedback_item_id
    and texts.text_hash = scored.text_hash
    and languages.language = scored.language
    and languages.language_source = scored.language_source
    and languages.language_confidence is not distinct from scored.language_confidence
    and scored.model_version = $model_version
    and scored.dictionary_version = $dictionary_version
where scored.feedback_item_id is null
order by texts.feedback_item_id
