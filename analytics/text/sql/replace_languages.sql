-- new_languages: the rows just determined; items gone from the input leave too.
delete from analytics.text_languages
where feedback_item_id in (select feedback_item_id from new_languages)
    or feedback_item_id not in (select feedback_item_id from intermediate.int_feedback_texts);

insert into analytics.text_languages
select
    feedback_item_id,
    text_hash,
    vendor_language,
    language,
    language_source,
    language_confidence,
    detector_version,
    detected_at
from new_languages;
