-- Every run stamps the phrases, counted again or found current.
update analytics.text_uncategorised_phrases
set scored_at = $scored_at
