-- Platform poll exports list a poll's options in ballot order without numbering them:
-- the position is the option's place among its poll's rows.
update staged
set option_position = numbered.position
from (
    select
        _row_number as row_id,
        cast(row_number() over (partition by poll_id order by _row_number) as varchar) as position,
    from staged
) as numbered
where staged._row_number = numbered.row_id
    and nullif(trim(staged.option_position), '') is null
