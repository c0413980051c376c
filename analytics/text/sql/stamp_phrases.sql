-- A run that scored, refitted or recounted stamps the phrases.
update analytics.text_uncategorised_phrases
set scored_at = $scored_at
