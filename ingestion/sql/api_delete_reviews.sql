delete from raw.reviews
where _source = $source
    and starts_with(_file_name, 'api:')
    and review_id in (select review_id from staged_reviews)
returning _load_id
