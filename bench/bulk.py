"""Bulk writing for benchmarks: COPY on PostgreSQL, batched INSERTs through SQLAlchemy on
SQLite; rows are tuples in the order of the columns named."""

import json
from contextlib import contextmanager

from app.extensions import db

BATCH = 5_000  # rows per INSERT on SQLite


class Loader:
    """Writes rows (tuples in the order of `columns`) on one connection: COPY on
    PostgreSQL, executemany through SQLAlchemy (which converts dates and JSON) on SQLite."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.rows = {}  # table: rows written

    def load(self, table, columns, rows, json_columns=()):
        count = 0
        if self.postgres:
            positions = [columns.index(name) for name in json_columns]
            raw = self.connection.connection.driver_connection
            statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            with self._checked_afterwards(table), raw.cursor() as cursor:
                with cursor.copy(statement) as copy:
                    for row in rows:
                        if positions:
                            row = list(row)
                            for position in positions:
                                row[position] = json.dumps(row[position])
                        copy.write_row(row)
                        count += 1
        else:
            target = db.metadata.tables[table]
            batch = []
            for row in rows:
                batch.append(dict(zip(columns, row, strict=True)))
                if len(batch) == BATCH:
                    self.connection.execute(target.insert(), batch)
                    count, batch = count + len(batch), []
            if batch:
                self.connection.execute(target.insert(), batch)
                count += len(batch)
        self.rows[table] = count

    @contextmanager
    def _checked_afterwards(self, table):
        """Foreign keys, unique constraints and indexes of `table` dropped while COPY
        writes and made again afterwards, with the same names and definitions: checking
        and indexing all rows at once is many times faster than row by row (PostgreSQL's
        "Populating a Database")."""
        constraints = self.connection.exec_driver_sql(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %(table)s::regclass AND contype IN ('f', 'u')",
            {"table": table},
        ).all()
        indexes = self.connection.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %(table)s"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint"
            " WHERE conrelid = %(table)s::regclass)",
            {"table": table},
        ).all()
        for name, _definition in constraints:
            self.connection.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            self.connection.exec_driver_sql(f'DROP INDEX "{name}"')
        yield
        for _name, definition in indexes:
            self.connection.exec_driver_sql(definition)
        for name, definition in constraints:
            self.connection.exec_driver_sql(
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            )

    def reset_sequences(self):
        """COPY wrote the ids itself: the sequences must continue after them."""
        if not self.postgres:
            return
        for table in self.rows:
            if "id" in db.metadata.tables[table].columns:
                self.connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                    f" (SELECT coalesce(max(id), 1) FROM {table}))"
                )
