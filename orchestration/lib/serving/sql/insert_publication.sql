insert into pipeline.publication (build_id, published_at, table_name, row_count, fingerprint)
values (?, ?, ?, ?, ?)
