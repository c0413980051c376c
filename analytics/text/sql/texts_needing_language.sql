-- Texts whose language is not known for this text and vendor code with this detector.
select
    texts.feedback_item_id,
    texts.text_hash,
    texts.vendor_language,
    texts.text_value
from intermediate.int_feedback_texts as texts
left join analytics.text_languages as known
    on texts.feedback_item_id = known.feedback_item_id
    and texts.text_hash = known.text_hash
    and texts.vendor_language is not distinct from known.vendor_language
    and known.detector_version = $detector_version
where known.feedback_item_id is null
order by texts.feedback_item_id
