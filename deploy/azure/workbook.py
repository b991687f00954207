#!/usr/bin/env python3
"""Writes workbook.json from queries/*.kql: one panel per file, titled and charted by its
"// Title:" and "// Chart:" lines, under a time-range picker. Run after changing a query:
    python3 deploy/azure/workbook.py
WorkbookQueriesTest checks every query (workbook, queries/, alerts/) against what the service emits."""
import json
import pathlib
import re

HERE = pathlib.Path(__file__).resolve().parent
items = [
    {"type": 1, "name": "title", "content": {"json": "# Agent API\n"
        "Requests, browser agents, rate limiting, Redis fallback and database health, from the "
        "service's own telemetry (App Insights agent requests/dependencies/exceptions, custom "
        "events from `telemetry/Telemetry`, Micrometer metrics)."}},
    {"type": 9, "name": "parameters", "content": {
        "version": "KqlParameterItem/1.0", "style": "pills", "queryType": 0,
        "resourceType": "microsoft.insights/components",
        "parameters": [{
            "id": "7f0c5d0e-1b7a-4c55-9f39-5c2b6c1f0a01", "version": "KqlParameterItem/1.0",
            "name": "TimeRange", "label": "Time range", "type": 4, "isRequired": True,
            "value": {"durationMs": 86400000},
            "typeSettings": {"allowCustom": True, "selectableValues": [
                {"durationMs": ms} for ms in (3600000, 14400000, 43200000, 86400000, 259200000, 604800000)]}}]}},
]
for path in sorted((HERE / "queries").glob("*.kql")):
    text = path.read_text()
    title = re.search(r"^// Title: (.+)$", text, re.M).group(1)
    chart = re.search(r"^// Chart: (\w+)$", text, re.M).group(1)
    query = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    query = query.replace("bin(timestamp, 5m)", "bin(timestamp, {TimeRange:grain})").strip()
    items.append({"type": 3, "name": path.stem, "content": {
        "version": "KqlItem/1.0", "query": query, "title": title, "size": 0,
        "timeContextFromParameter": "TimeRange", "queryType": 0,
        "resourceType": "microsoft.insights/components", "visualization": chart}})
workbook = {"version": "Notebook/1.0", "items": items, "fallbackResourceIds": [],
            "$schema": "https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json"}
(HERE / "workbook.json").write_text(json.dumps(workbook, indent=2) + "\n")
