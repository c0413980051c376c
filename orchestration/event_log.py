"""Dagster's SQLite event log, with one connection pool per database file.

The stock SQLite event log builds a new SQLAlchemy engine and connection for every read and
write, and closing the last connection to a WAL database checkpoints it: a dozen
milliseconds per event. A `pulse run` writes about 1,300 events (every dbt model and test
is planned, output and evaluated), so that was seconds of every run, most of them before
the first step started. Here each database file keeps its engine and one open connection;
files, tables and migrations are Dagster's own, so a home written by either class reads
with the other. Configured in dagster.yaml.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import sqlalchemy as db
from dagster._config import StringSource
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._serdes import ConfigurableClassData
from sqlalchemy.pool import NullPool

# Run databases whose engines stay open; older ones are closed (a long-lived webserver or
# daemon reads many runs). The index database is always kept.
OPEN_RUN_DATABASES = 4


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, db.engine.Engine] = OrderedDict()
        self._engines_pid = os.getpid()
        super().__init__(base_dir, inst_data)

    @classmethod
    def config_type(cls) -> dict[str, Any]:
        return {"base_dir": dg.Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(  # type: ignore[override]
        cls, inst_data: ConfigurableClassData | None, config_value: dict[str, Any]
    ) -> PooledSqliteEventLogStorage:
        base_dir = config_value.get("base_dir")
        if not base_dir:
            home = os.environ.get("DAGSTER_HOME")
            if not home:
                raise dg.DagsterInvariantViolationError(
                    "PooledSqliteEventLogStorage needs DAGSTER_HOME, or base_dir in its config"
                )
            # Where Dagster's default SQLite storage keeps its run databases.
            base_dir = os.path.join(home, "history", "runs")
        return cls(base_dir=base_dir, inst_data=inst_data)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[db.engine.Connection]:
        with self._db_lock:
            engine = self._engine_for(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def _engine_for(self, shard: str) -> db.engine.Engine:
        if self._engines_pid != os.getpid():  # a forked child must not share connections
            self._engines = OrderedDict()
            self._engines_pid = os.getpid()
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        conn_string = self.conn_string_for_shard(shard)
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
        if shard not in self._initialized_dbs:
            # Creating the tables opens nested connections: done as Dagster does it.
            creator = db.create_engine(conn_string, poolclass=NullPool, connect_args=connect_args)
            self._initdb(creator)
            creator.dispose()
            self._initialized_dbs.add(shard)
        engine = db.create_engine(
            conn_string, pool_size=1, max_overflow=2, connect_args=connect_args
        )
        self._engines[shard] = engine
        run_shards = [name for name in self._engines if name != INDEX_SHARD_NAME]
        for name in run_shards[:-OPEN_RUN_DATABASES]:
            self._engines.pop(name).dispose()
        return engine

    def dispose(self) -> None:
        with self._db_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
        super().dispose()
