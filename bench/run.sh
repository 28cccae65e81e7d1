#!/bin/sh
# lingpao's performance harness (issue 8): builds the lingpao binary and the harness, then measures
# ingest against the floor pass and openpyxl, every report, and the bulletin against LibreOffice, at
# the scales asked for, and prints a table of medians and ratios.
#
#   bench/run.sh                               city, province and province10 (about half an hour on
#                                              two cores; LibreOffice takes minutes on a province's workbook)
#   bench/run.sh -scales province -runs 5      one scale, more runs
#   bench/run.sh -python '' -soffice ''        without the openpyxl and LibreOffice references
#
# Work files go to $TMPDIR/lingpao-bench (-work to change); nothing is written into the repository.
set -eu
cd "$(dirname "$0")/.."
out="${TMPDIR:-/tmp}/lingpao-bench-bin"
mkdir -p "$out"
go build -o "$out/lingpao" ./cmd/lingpao
go build -o "$out/bench" ./bench
exec "$out/bench" -bin "$out/lingpao" "$@"
