-- Google Play reports carry no review id column: the Review Link holds it as
-- reviewId=...; a review without a link is known by its package and submit time (ms).
update staged
set review_id = coalesce(
    nullif(trim(review_id), ''),
    nullif(regexp_extract(review_link, '[?&]reviewId=([^&#]+)', 1), ''),
    case
        when nullif(trim(submitted_millis), '') is not null
            then 'gplay_' || md5(concat_ws('|', trim(product), trim(submitted_millis)))
    end
)
