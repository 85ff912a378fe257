"""Files made for people to open: CSV and XLSX exports."""

from adapters.files.exports import SpreadsheetExportWriter

__all__ = ["SpreadsheetExportWriter"]
