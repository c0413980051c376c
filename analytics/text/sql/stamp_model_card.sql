-- A run that scored, refitted or recounted stamps the card of the model it scored with.
update analytics.text_model_card
set scored_at = $scored_at
where model_version = $model_version
