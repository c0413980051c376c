select labelled_texts, settings_fingerprint, weights
from analytics.text_sentiment_models
where is_current
