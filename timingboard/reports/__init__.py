"""Results of a session as tables and files (CSV, JSON), with no Qt."""

from timingboard.reports.results import RESULT_COLUMNS, result_rows, write_csv, write_json

__all__ = ["RESULT_COLUMNS", "result_rows", "write_csv", "write_json"]
