"""The engine interface every stage talks to, and its DuckDB implementation.

Modelled on Splink's backends: a few verbs (execute, fetch, register, table_exists, read a
source file) and nothing engine-specific above this module. A Spark backend implements the
same verbs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pyarrow as pa


def memory_share(share: float) -> str:
    """A DuckDB memory limit of `share` of this machine's memory, e.g. '9619MiB'."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{int(total * share) // 2**20}MiB"


class Engine(Protocol):
    name: str

    def execute(self, sql: str, params: list[Any] | None = None) -> None: ...

    def fetch(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]: ...

    def fetch_arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table: ...

    def register(self, name: str, data: pa.Table) -> None: ...

    def table_exists(self, name: str) -> bool: ...

    def columns(self, name: str) -> list[tuple[str, str]]: ...

    def read_csv_as_text(self, name: str, path: Path) -> None: ...

    # A view, with _source_row, of the rows after the first `skip_rows`.
    def read_parquet(self, name: str, path: Path, skip_rows: int = 0) -> None: ...

    def csv_rejects(self) -> list[tuple[int, str]]: ...

    def splink_api(self) -> Any: ...  # Splink's database API over this engine's connection

    def close(self) -> None: ...


class DuckDBEngine:
    """DuckDB, embedded: the default engine, one database file per run."""

    name = "duckdb"

    def __init__(
        self,
        path: Path | str = ":memory:",
        read_only: bool = False,
        memory_limit: str | None = None,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        self._tables: set[str] | None = None
        self.con = duckdb.connect(self.path, read_only=read_only)
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        # Lambdas are written `lambda x: …`: the `x -> …` form is refused from DuckDB 2.0 on,
        # so it is refused here too rather than found on upgrading.
        self.con.execute("SET lambda_syntax = 'DISABLE_SINGLE_ARROW'")
        # Where DuckDB spills beyond its memory limit: a folder beside the database.
        self.spill_folder: Path | None = None
        if not read_only:
            if self.path != ":memory:":
                self.spill_folder = Path(f"{self.path}.tmp")
                self.con.execute(f"SET temp_directory = '{self.spill_folder}'")
            self.con.execute("SET preserve_insertion_order = true")

    def execute(self, sql: str, params: list[Any] | None = None) -> None:
        self.con.execute(sql, params or [])

    def fetch(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, params or []).fetchall()

    def fetch_arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        # Through a relation: Arrow from an executed (DB-API) result costs an extra copy.
        result = self.con.sql(sql, params=params or None).to_arrow_table()
        assert isinstance(result, pa.Table)
        return result

    def register(self, name: str, data: pa.Table) -> None:
        self.con.register(f"__{name}_arrow", data)
        self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "__{name}_arrow"')
        self.con.unregister(f"__{name}_arrow")

    def table_exists(self, name: str) -> bool:
        if self.read_only:  # nothing changes the tables: asked once per connection
            if self._tables is None:
                self._tables = {
                    str(r[0])
                    for r in self.fetch(
                        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
                    )
                }
            return name in self._tables
        rows = self.fetch(
            "SELECT 1 FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'",
            [name],
        )
        return bool(rows)

    def columns(self, name: str) -> list[tuple[str, str]]:
        rows = self.fetch(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = ? AND table_schema = 'main' ORDER BY ordinal_position",
            [name],
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def read_csv_as_text(self, name: str, path: Path) -> None:
        """Every column as text, in file order; malformed records go to the rejects list."""
        self.execute("DROP TABLE IF EXISTS reject_errors")
        self.execute("DROP TABLE IF EXISTS reject_scans")
        self.execute(
            f"""CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM read_csv(?, all_varchar = true,
                header = true, delim = ',', quote = '"', escape = '"', auto_detect = false,
                columns = {self._header_columns(path)}, store_rejects = true, ignore_errors = true,
                null_padding = false, strict_mode = true)""",
            [str(path)],
        )

    def _header_columns(self, path: Path) -> str:
        import csv

        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        return (
            "{" + ", ".join(f"'{h.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for h in header) + "}"
        )

    def csv_rejects(self) -> list[tuple[int, str]]:
        """(line number, message) of records the last CSV read rejected."""
        if not self._temp_table_exists("reject_errors"):
            return []
        # DuckDB may report one broken record several times over (once per column it tried);
        # the record is one rejected record, with one (deterministic) message.
        rows = self.fetch(
            "SELECT line, min(error_message) FROM reject_errors GROUP BY line ORDER BY line"
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    def _temp_table_exists(self, name: str) -> bool:
        return bool(self.fetch("SELECT 1 FROM duckdb_tables() WHERE table_name = ?", [name]))

    def read_parquet(self, name: str, path: Path, skip_rows: int = 0) -> None:
        """A view over the file with `_source_row` (1-based row number in the file)."""
        literal = "'" + str(path).replace("'", "''") + "'"
        after = f"WHERE file_row_number >= {int(skip_rows)}" if skip_rows else ""
        self.execute(
            f"""CREATE OR REPLACE VIEW "{name}" AS SELECT * EXCLUDE (file_row_number),
                file_row_number + 1 AS _source_row FROM read_parquet({literal}, file_row_number = true)
                {after}"""
        )

    def splink_api(self) -> Any:
        from splink import DuckDBAPI

        return DuckDBAPI(connection=self.con)

    def close(self) -> None:
        self.con.close()
