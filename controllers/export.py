"""Odoo's list export to Excel writes cell text with xlsxwriter's generic
``write``, which turns text starting with "=" into a formula. Text typed
into a case or sent in a police e-mail must never become a formula in a
workbook someone opens: here every text cell is written as text."""

from odoo.addons.web.controllers.export import (
    ExcelExport,
    ExportXlsxWriter,
    GroupExportXlsxWriter,
)


class TextCellsMixin:
    def write(self, row, column, cell_value, style=None):
        if isinstance(cell_value, str):
            return self.worksheet.write_string(row, column, cell_value, style)
        return super().write(row, column, cell_value, style)


class DvExportXlsxWriter(TextCellsMixin, ExportXlsxWriter):
    pass


class DvGroupExportXlsxWriter(TextCellsMixin, GroupExportXlsxWriter):
    pass


class DvExcelExport(ExcelExport):
    def from_group_data(self, fields, columns_headers, groups):
        with DvGroupExportXlsxWriter(
            fields, columns_headers, groups.count
        ) as xlsx_writer:
            x, y = 1, 0
            for group_name, group in groups.children.items():
                x, y = xlsx_writer.write_group(x, y, group_name, group)
        return xlsx_writer.value

    def from_data(self, fields, columns_headers, rows):
        with DvExportXlsxWriter(fields, columns_headers, len(rows)) as xlsx_writer:
            for row_index, row in enumerate(rows):
                for cell_index, cell_value in enumerate(row):
                    xlsx_writer.write_cell(row_index + 1, cell_index, cell_value)
        return xlsx_writer.value
