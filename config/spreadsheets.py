"""Cells a spreadsheet would run as a formula are written as text instead.

A resident's idea titled ``=HYPERLINK(...)`` must reach an officer's spreadsheet as the
words they typed, never as a formula (OWASP's "CSV injection"): a leading ``'`` makes
Excel, LibreOffice and Google Sheets show the cell as text.
"""

from import_export.formats import base_formats

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _EscapingFormat(base_formats.TablibFormat):
    """Goes before one of tablib's formats, whose export_data it wraps."""

    def export_data(self, dataset, **kwargs):
        escaped = dataset.__class__(headers=dataset.headers, title=dataset.title)
        for row in dataset:
            escaped.append([escape_formula(cell) for cell in row])
        return super().export_data(escaped, **kwargs)


class CSV(_EscapingFormat, base_formats.CSV):
    pass


class TSV(_EscapingFormat, base_formats.TSV):
    pass


class XLSX(_EscapingFormat, base_formats.XLSX):
    pass


class ODS(_EscapingFormat, base_formats.ODS):
    pass


# Spreadsheet formats escape formulas; JSON is data, not a spreadsheet, and stays exact.
EXPORT_FORMATS = [fmt for fmt in (CSV, TSV, XLSX, ODS) if fmt.is_available()]
EXPORT_FORMATS.append(base_formats.JSON)
