select count(*) from intermediate.int_feedback_texts
