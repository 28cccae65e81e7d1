# Reads every cell of every worksheet of the .xlsx files named on the command line with openpyxl in
# read-only mode — the usual Python way to load county returns — and prints rows, cells and seconds.
# Used by the lingpao benchmark harness (bench/main.go) as the reference to beat five times.
import sys
import time

import openpyxl

start = time.perf_counter()
rows = cells = 0
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for ws in wb.worksheets:
        ws.reset_dimensions()  # read to the last row, whatever <dimension> says
        for row in ws.iter_rows(values_only=True):
            rows += 1
            cells += sum(1 for v in row if v is not None)
    wb.close()
print(rows, cells, time.perf_counter() - start)
