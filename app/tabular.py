"""CSV output for reports and exports, safe to open in a spreadsheet."""

import csv
import io
import json

from flask import Response

# A cell starting with one of these would be read as a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Cell text that a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def csv_response(filename, header, rows):
    # The BOM lets spreadsheet programs recognise UTF-8 (umlauts in names).
    body = "\ufeff" + csv_text(header, rows)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheets):
    """An XLSX workbook of [(title, header, rows)]: numbers stay numbers, every text is
    neutralised like a CSV cell, the header is bold and stays in view."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title=title[:31])
        sheet.append([neutralise(cell) for cell in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(
                [
                    cell
                    if isinstance(cell, (int, float)) and not isinstance(cell, bool)
                    else neutralise(cell)
                    for cell in row
                ]
            )
        sheet.freeze_panes = "A2"
        for index, cell in enumerate(sheet[1], start=1):
            width = max(
                [len(str(cell.value or ""))] + [len(str(r[index - 1] or "")) for r in rows[:200]]
            )
            sheet.column_dimensions[cell.column_letter].width = min(max(width + 2, 6), 50)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename, sheets):
    return Response(
        xlsx_bytes(sheets),
        mimetype=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
