#!/usr/bin/env python3
"""Charts for docs/benchmarks.md from the newest result files in bench/results/ (SVG, no dependencies).

    python3 bench/charts.py        # after bench/rss-bench.sh, list-bench.sh, create-bench.sh, fault-harness.sh

Writes docs/charts/memory.svg (RSS after load against both baselines), docs/charts/lists.svg (list page latency at
10K and 1M agents), docs/charts/create.svg (create latency with and without the warm pool, and bare Playwright)
and docs/charts/faults.svg (the fault harness's phases in order, requests by outcome, with the replica failover
time), each from the newest file of its kind; a chart whose results are missing is left as it is.
"""
import glob
import html
import os
import re
import sys

RESULTS = "bench/results"
OUT = "docs/charts"
COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1"]


def newest(kind):
    files = sorted(glob.glob(os.path.join(RESULTS, kind + "-*.txt")))
    return files[-1] if files else None


def bars(title, subtitle, groups, series, values, unit, path, note=""):
    """Grouped horizontal bars: values[group][series] (None: not measured)."""
    bar, gap, label_w, width = 16, 10, 190, 760
    top = 64
    height = top + len(groups) * (len(series) * bar + gap) + 40 + 18 * len(series)
    peak = max((v for g in values for v in g if v is not None), default=1)
    scale = (width - label_w - 90) / peak
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="22" font-size="16" font-weight="bold">{html.escape(title)}</text>',
           f'<text x="10" y="42" fill="#555">{html.escape(subtitle)}</text>']
    y = top
    for g, group in enumerate(groups):
        out.append(f'<text x="10" y="{y + len(series) * bar / 2 + 4}" font-weight="bold">{html.escape(group)}</text>')
        for s, _ in enumerate(series):
            v = values[g][s]
            if v is not None:
                w = max(1, v * scale)
                out.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar - 2}" fill="{COLOURS[s % len(COLOURS)]}"/>')
                out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 5}">{v:g} {unit}</text>')
            y += bar
        y += gap
    y += 10
    for s, name in enumerate(series):
        out.append(f'<rect x="10" y="{y}" width="12" height="12" fill="{COLOURS[s % len(COLOURS)]}"/>')
        out.append(f'<text x="28" y="{y + 10}">{html.escape(name)}</text>')
        y += 18
    if note:
        out.append(f'<text x="{width - 10}" y="{height - 8}" text-anchor="end" fill="#777" font-size="10">{html.escape(note)}</text>')
    out.append("</svg>")
    os.makedirs(OUT, exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote", path)


def memory():
    path = newest("rss")
    if not path:
        return
    text = open(path).read()
    apps = ["bare", "bare+stack", "service", "service+redis"]
    groups, values = [], []
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        head = section.splitlines()[0]
        m = re.match(r"Java (\d+).*flags (\w+)", head)
        if not m:
            continue
        rows = {}
        for line in section.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 5 and cells[0] in apps:
                rows[cells[0]] = float(cells[4])  # RSS after load MB
        groups.append(f"Java {m.group(1)}, {m.group(2)} flags")
        values.append([rows.get(a) for a in apps])
    bars("Memory after load (RSS)", "the service in local and Redis mode against a bare Spring Boot app, plain and with the brief's stack",
         groups, apps, values, "MB", os.path.join(OUT, "memory.svg"), os.path.basename(path))


def lists():
    path = newest("list")
    if not path:
        return
    rows = {}
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in ("first", "filtered", "cursor", "deep"):
            rows[cells[0]] = (float(cells[1].split()[0]), float(cells[2].split()[0]))
    if not rows:
        return
    pages = [p for p in ("first", "filtered", "cursor", "deep") if p in rows]
    bars("Agent list pages: 10,000 against 1,000,000 agents", "p50 latency of a 100-agent page; deep is the seed's page= offset",
         pages, ["10K agents", "1M agents"], [list(rows[p]) for p in pages], "ms", os.path.join(OUT, "lists.svg"),
         os.path.basename(path))


def create():
    path = newest("create")
    if not path:
        return
    runs = []
    for line in open(path):
        m = re.match(r"(.{1,58}?)\s+p50\s+(\d+) ms\s+p95\s+(\d+) ms", line)
        if m:
            runs.append((m.group(1).strip(), float(m.group(2)), float(m.group(3))))
    if not runs:
        return
    bars("Create to running", "a headless agent created until its browser runs, against bare Playwright launching one",
         [r[0] for r in runs], ["p50", "p95"], [[r[1], r[2]] for r in runs], "ms", os.path.join(OUT, "create.svg"),
         os.path.basename(path))


def faults():
    path = newest("fault")
    if not path:
        return
    lines = open(path).read().splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Requests by outcome per phase")), None)
    if start is None:
        return
    # FaultHarness prints the phase in 16 columns, then each outcome in 14 ("no connection" has a space)
    def cells(line):
        return [line[16 + 14 * i:30 + 14 * i].strip() for i in range((len(line) - 16 + 13) // 14)]
    columns = cells(lines[start + 1])
    phases, values = [], []
    for line in lines[start + 2:]:
        row = cells(line)
        if not line.strip() or len(row) != len(columns):
            break
        phases.append(line[:16].strip())
        values.append([float(c) for c in row])
    failover = next((line.split(")", 1)[1].strip() for line in lines if "failover (kill" in line), "")
    bars("Fault harness: requests by outcome, phase by phase", "in order: Redis, PostgreSQL, the service and a browser-holding "
         "replica each down then back" + (f"; replica failover {failover}" if failover else ""),
         phases, columns, values, "", os.path.join(OUT, "faults.svg"), os.path.basename(path))


if __name__ == "__main__":
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    memory()
    lists()
    create()
    faults()
    sys.exit(0)
