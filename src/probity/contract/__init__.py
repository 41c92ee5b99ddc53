"""The source-export contract: every table, column, type, vocabulary and reference as data."""

from probity.contract.tables import TABLES, Column, Reference, TableSpec, table_spec

__all__ = ["TABLES", "Column", "Reference", "TableSpec", "table_spec"]
