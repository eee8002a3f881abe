#!/usr/bin/env python3
# Summarises bench/ab-memory.sh runs: python3 bench/ab-memory-summary.py OUTDIR
import glob, json, statistics, sys
rows = {}
for f in sorted(glob.glob(f'{sys.argv[1]}/*.json')):
    d = json.load(open(f)); name = f.split('/')[-1][:-5]; srv, r = name.rsplit('-', 1)
    rows.setdefault(srv, []).append((int(r), d['scenario'], d['metrics']))
for srv in ('before', 'after'):
    for r, scenario, m in sorted(rows.get(srv, [])):
        if scenario == 'flood':
            print(f"{srv}-{r}: rss +{m['rss_growth_mb']:,.0f} MiB (max {m['rss_max_mb']:,.0f}), heap max {m['heap_max_mb']:,.0f} MiB,"
                  f" watcher p99 {m['watcher_latency_p99_ms']:.1f} ms p99.9 {m['watcher_latency_p999_ms']:.1f} ms,"
                  f" acked {m['flood_acked']:,.0f} errors {m['flood_errors']:,.0f}")
        else:
            print(f"{srv}-{r}: rss {m['rss_per_conn_bytes']:,.0f} B/conn, heap {m['heap_per_conn_bytes']:,.0f} B/conn,"
                  f" open {m['connections_open']:,.0f}")
