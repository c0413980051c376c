select min(dictionary_version), max(dictionary_version), count(*)
from analytics.text_uncategorised_phrases
