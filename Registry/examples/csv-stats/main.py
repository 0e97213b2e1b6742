"""acme/csv-stats: profiles the columns of a CSV text (type, counts, min/max/mean/median/stddev or lengths).

Runtime protocol: one JSON object on stdin, {"tool": name, "input": {...}}; one JSON object on stdout,
{"output": {...}} or {"error": {"message": ...}}. Standard library only.
"""

import csv
import io
import json
import math
import re
import sys

INTEGER = re.compile(r"[+-]?\d+")
DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
MAX_COLUMNS = 1000


class ToolError(Exception):
    pass


def parse_number(cell):
    """The cell's value if it is a plain decimal number (no thousands separators, NaN or infinity), else None."""
    if INTEGER.fullmatch(cell):
        return int(cell)
    if DECIMAL.fullmatch(cell):
        value = float(cell)
        return value if math.isfinite(value) else None
    return None


def numeric_summary(values, decimals):
    count = len(values)
    ordered = sorted(values)
    if all(isinstance(v, int) for v in values):
        total = sum(values)
        mean = total / count
    else:
        total = math.fsum(values)
        mean = total / count
    middle = count // 2
    median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    variance = math.fsum((v - mean) ** 2 for v in values) / count
    return {
        "min": ordered[0],
        "max": ordered[-1],
        "sum": total if isinstance(total, int) else round(total, decimals),
        "mean": round(mean, decimals),
        "median": round(median, decimals),
        "stddev": round(math.sqrt(variance), decimals),
    }


def text_summary(values):
    frequencies = {}
    for value in values:
        frequencies[value] = frequencies.get(value, 0) + 1
    value, count = min(frequencies.items(), key=lambda item: (-item[1], item[0]))
    lengths = [len(v) for v in values]
    return {"minLength": min(lengths), "maxLength": max(lengths), "mostCommon": {"value": value, "count": count}}


def csv_stats(args):
    text = args.get("csv")
    if not isinstance(text, str):
        raise ToolError("`csv` must be a string")
    delimiter = args.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in "\"\r\n":
        raise ToolError("`delimiter` must be one character other than a quote or a line break")
    has_header = args.get("header", True)
    if not isinstance(has_header, bool):
        raise ToolError("`header` must be a boolean")
    decimals = args.get("decimals", 6)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 15:
        raise ToolError("`decimals` must be an integer from 0 to 15")

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    names = None
    cells = []  # cells[c] = stripped, non-empty values of column c
    empties = []
    rows = 0
    try:
        for record in reader:
            if not record or record == [""]:
                continue  # blank line
            if names is None:
                if len(record) > MAX_COLUMNS:
                    raise ToolError("the CSV has %d columns; at most %d are supported" % (len(record), MAX_COLUMNS))
                names = [r.strip() for r in record] if has_header else ["column_%d" % (i + 1) for i in range(len(record))]
                cells = [[] for _ in names]
                empties = [0 for _ in names]
                if has_header:
                    continue
            if len(record) > len(names):
                raise ToolError("line %d has %d fields, but the %s has %d" % (
                    reader.line_num, len(record), "header" if has_header else "first row", len(names)))
            rows += 1
            for index in range(len(names)):
                cell = record[index].strip() if index < len(record) else ""
                if cell:
                    cells[index].append(cell)
                else:
                    empties[index] += 1
    except csv.Error as error:
        raise ToolError("malformed CSV at line %d: %s" % (reader.line_num, error))

    columns = []
    for index, name in enumerate(names or []):
        values = cells[index]
        column = {"index": index, "name": name, "count": len(values), "empty": empties[index], "distinct": len(set(values))}
        numbers = [parse_number(v) for v in values]
        if not values:
            column["type"] = "empty"
        elif all(n is not None for n in numbers):
            column["type"] = "number"
            try:
                column.update(numeric_summary(numbers, decimals))
            except OverflowError:
                raise ToolError("column %r holds numbers too large to summarize" % name)
        else:
            column["type"] = "text"
            column.update(text_summary(values))
        columns.append(column)
    return {"rows": rows, "columns": columns}


TOOLS = {"csv_stats": csv_stats}


def main():
    try:
        try:
            request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        except ValueError as error:  # malformed JSON or UTF-8
            raise ToolError("the request is not valid JSON: %s" % error)
        if not isinstance(request, dict):
            raise ToolError("the request must be a JSON object")
        name = request.get("tool")
        handler = TOOLS.get(name) if isinstance(name, str) else None
        if handler is None:
            raise ToolError("unknown tool: %s (this package provides: %s)" % (json.dumps(name), ", ".join(sorted(TOOLS))))
        args = request.get("input", {})
        if not isinstance(args, dict):
            raise ToolError("`input` must be a JSON object")
        response = {"output": handler(args)}
    except ToolError as error:  # anything else is a bug: a traceback on stderr and a non-zero exit
        response = {"error": {"message": str(error)}}
    sys.stdout.buffer.write(json.dumps(response, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")


if __name__ == "__main__":
    main()
