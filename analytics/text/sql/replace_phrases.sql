delete from analytics.text_uncategorised_phrases;

insert into analytics.text_uncategorised_phrases
select
    language,
    phrase,
    phrase_words,
    uncategorised_sentences,
    uncategorised_sentences_read,
    categorised_sentences,
    categorised_sentences_read,
    lift,
    phrase_rank,
    dictionary_version,
    scored_at
from new_phrases;
