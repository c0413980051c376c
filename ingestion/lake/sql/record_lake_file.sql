-- Name a file in the lake's ledger (after the row naming the same path, if any, is gone).
insert into raw.lake_files (path, table_name, load_id, load_date, row_count, written_at)
values ($path, $table_name, $load_id, $load_date, $row_count, now())
