delete from history.repeat_purchase_daily where as_of_date = $as_of_date
