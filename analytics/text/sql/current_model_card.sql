-- The current model's card rows.
select
    card.language,
    card.model_used,
    card.is_fallback,
    card.labelled_texts,
    card.cv_macro_f1,
    card.cv_accuracy
from analytics.text_model_card as card
inner join analytics.text_sentiment_models as models
    on card.model_version = models.model_version
where models.is_current
order by card.language
