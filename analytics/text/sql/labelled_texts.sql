-- Labelled texts now, and of each class (the refit rule compares the total with the
-- model's; a model needs enough of each class).
select
    count(*),
    count(*) filter (where weak_label = 'negative'),
    count(*) filter (where weak_label = 'positive')
from intermediate.int_feedback_texts
where weak_label is not null
