-- Rows a real export could carry, added to the raw layer after the fixture files load.
-- Lineage columns name a made-up seeded file so every row stays traceable.
insert into raw.survey_registry (survey_id, item_id, instrument, item_name, scale_min, scale_max,
    direction, vendor, channel, timezone, _loaded_at)
select 'relationship_nps', item_id, 'driver', item_name, 1, 5, 'higher_is_better', 'qualtrics',
    'email', 'Europe/Helsinki', now()
from (values ('D1', 'speed'), ('D2', 'price'), ('D3', 'staff')) as drivers (item_id, item_name);

insert into raw.survey_responses (survey_id, response_id, started_at, submitted_at,
    source_timezone, duration_seconds, is_finished, progress, _source, _file_name, _file_hash,
    _row_number, _load_id, _loaded_at)
values
    ('relationship_nps', 'R_speeder', '2025-03-06 10:00:00', '2025-03-06 10:00:04',
        'Europe/Helsinki', '4', '1', '100', 'qualtrics', 'seeded.csv', 'seeded', 1, 'seeded', now()),
    ('relationship_nps', 'R_straight', '2025-03-06 11:00:00', '2025-03-06 11:03:00',
        'Europe/Helsinki', '180', '1', '100', 'qualtrics', 'seeded.csv', 'seeded', 2, 'seeded', now()),
    ('relationship_nps', 'R_nps11', '2025-03-06 12:00:00', '2025-03-06 12:02:00',
        'Europe/Helsinki', '120', '1', '100', 'qualtrics', 'seeded.csv', 'seeded', 3, 'seeded', now()),
    ('relationship_nps', 'R_partial', '2025-03-06 13:00:00', null,
        'Europe/Helsinki', '60', '0', '40', 'qualtrics', 'seeded.csv', 'seeded', 4, 'seeded', now()),
    ('relationship_nps', 'R_nps95', '2025-03-06 14:00:00', '2025-03-06 14:02:00',
        'Europe/Helsinki', '120', '1', '100', 'qualtrics', 'seeded.csv', 'seeded', 13, 'seeded', now()),
    ('relationship_nps', 'R_nps1e1', '2025-03-06 15:00:00', '2025-03-06 15:02:00',
        'Europe/Helsinki', '120', '1', '100', 'qualtrics', 'seeded.csv', 'seeded', 14, 'seeded', now()),
    ('relationship_nps', 'R_npsabc', '2025-03-06 16:00:00', '2025-03-06 16:02:00',
        'Europe/Helsinki', '120', '1', '100', 'qualtrics', 'seeded.csv', 'seeded', 15, 'seeded', now());

-- The same customer answering the relationship survey twice within ten days.
insert into raw.survey_responses (survey_id, response_id, started_at, submitted_at,
    source_timezone, duration_seconds, is_finished, progress, external_reference, _source,
    _file_name, _file_hash, _row_number, _load_id, _loaded_at)
values
    ('relationship_nps', 'R_first', '2025-04-01 10:00:00', '2025-04-01 10:03:00',
        'Europe/Helsinki', '180', '1', '100', 'C-twice', 'qualtrics', 'seeded.csv', 'seeded', 5,
        'seeded', now()),
    ('relationship_nps', 'R_again', '2025-04-11 10:00:00', '2025-04-11 10:03:00',
        'Europe/Helsinki', '180', '1', '100', 'C-twice', 'qualtrics', 'seeded.csv', 'seeded', 6,
        'seeded', now());

-- Transactional surveys, answered once per order or contact: two orders on consecutive
-- days (less than 24 hours apart) are not duplicates, a form sent twice the same day is.
-- A support follow-up whose registry entry widens the window to a week.
insert into raw.survey_registry (survey_id, item_id, instrument, scale_min, scale_max, vendor,
    channel, timezone, survey_kind, duplicate_window_days, _loaded_at)
values ('support_followup', 'Q1', 'csat', 1, 5, 'qualtrics', 'email', 'Europe/Helsinki',
    'transactional', 7, now());

insert into raw.survey_responses (survey_id, response_id, submitted_at, source_timezone,
    is_finished, progress, respondent_email_hash, _source, _file_name, _file_hash, _row_number,
    _load_id, _loaded_at)
values
    ('post_purchase', 'order-1', '2025-05-02 18:00:00', 'Europe/Helsinki', '1', '100',
        'hash-orders', 'google_forms', 'seeded.csv', 'seeded', 7, 'seeded', now()),
    ('post_purchase', 'order-2', '2025-05-03 09:00:00', 'Europe/Helsinki', '1', '100',
        'hash-orders', 'google_forms', 'seeded.csv', 'seeded', 8, 'seeded', now()),
    ('post_purchase', 'sent-once', '2025-05-06 10:00:00', 'Europe/Helsinki', '1', '100',
        'hash-double', 'google_forms', 'seeded.csv', 'seeded', 9, 'seeded', now()),
    ('post_purchase', 'sent-twice', '2025-05-06 10:02:00', 'Europe/Helsinki', '1', '100',
        'hash-double', 'google_forms', 'seeded.csv', 'seeded', 10, 'seeded', now()),
    ('support_followup', 'ticket-1', '2025-05-01 12:00:00', 'Europe/Helsinki', '1', '100',
        'hash-support', 'qualtrics', 'seeded.csv', 'seeded', 11, 'seeded', now()),
    ('support_followup', 'ticket-2', '2025-05-06 12:00:00', 'Europe/Helsinki', '1', '100',
        'hash-support', 'qualtrics', 'seeded.csv', 'seeded', 12, 'seeded', now());

insert into raw.survey_answers (survey_id, response_id, item_ids, answers, _source, _file_name,
    _file_hash, _row_number, _load_id, _loaded_at)
values
    ('relationship_nps', 'R_straight', ['D1', 'D2', 'D3'], ['4', '4', '4'], 'qualtrics', 'seeded.csv', 'seeded', 2, 'seeded', now()),
    ('relationship_nps', 'R_nps11', ['Q1'], ['11'], 'qualtrics', 'seeded.csv', 'seeded', 3, 'seeded', now()),
    -- Not whole numbers: a promoter by accident, 10 in disguise, and no number at all.
    ('relationship_nps', 'R_nps95', ['Q1'], ['9.5'], 'qualtrics', 'seeded.csv', 'seeded', 13, 'seeded', now()),
    ('relationship_nps', 'R_nps1e1', ['Q1'], ['1e1'], 'qualtrics', 'seeded.csv', 'seeded', 14, 'seeded', now()),
    ('relationship_nps', 'R_npsabc', ['Q1'], ['abc'], 'qualtrics', 'seeded.csv', 'seeded', 15, 'seeded', now());

-- Forty quiet days of one 5-star review, then a burst of twelve 1-star reviews.
insert into raw.reviews (review_id, platform, rating, created_at, _source, _file_name,
    _file_hash, _row_number, _load_id, _loaded_at)
select 'quiet-' || day_offset, 'yelp', '5',
    strftime(date '2025-01-01' + cast(day_offset as integer), '%Y-%m-%dT10:00:00Z'),
    'generic_review_csv', 'seeded_reviews.csv', 'seeded', day_offset, 'seeded', now()
from range(40) as days (day_offset);

insert into raw.reviews (review_id, platform, rating, created_at, _source, _file_name,
    _file_hash, _row_number, _load_id, _loaded_at)
select 'burst-' || burst, 'yelp', '1', '2025-02-10T12:00:00Z',
    'generic_review_csv', 'seeded_reviews.csv', 'seeded', 100 + burst, 'seeded', now()
from range(12) as bursts (burst);

-- A rating off the 1..5 scale.
insert into raw.reviews (review_id, platform, rating, created_at, _source, _file_name,
    _file_hash, _row_number, _load_id, _loaded_at)
values ('off-scale', 'trustpilot', '7', '2025-03-07T09:00:00Z', 'generic_review_csv',
    'seeded_reviews.csv', 'seeded', 200, 'seeded', now());

-- A poll option whose position is not a number: staging leaves it null.
insert into raw.poll_options (poll_id, platform, question, option_position, option_label, votes,
    voting_status, started_at, ends_at, _source, _file_name, _file_hash, _row_number, _load_id,
    _loaded_at)
values ('x-broken', 'x', 'Broken?', 'first', 'Yes', '3', 'closed', '2025-05-01T09:00:00Z',
    '2025-05-02T09:00:00Z', 'generic_poll_csv', 'seeded_polls.csv', 'seeded', 1, 'seeded', now());
