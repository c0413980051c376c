-- The lineage every raw row carries, selected last by each insert_<table>.sql in place
-- of its `-- lineage columns` line (warehouse.read_sql), from the load's parameters and
-- the staged row's number in its file.
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    _row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
