#!/usr/bin/env python3
# Summarises bench/ab-targeted.sh runs: python3 bench/ab-summary.py OUTDIR [OUTDIR...]
import json,glob,statistics,sys
runs=sys.argv[1:]
res={}
for run in runs:
    for f in sorted(glob.glob(f'{run}/*.json')):
        d=json.load(open(f)); m=d['metrics']
        name=f.split('/')[-1][:-5]; srv,r=name.rsplit('-',1)
        res[(run,int(r),srv)]=m
rounds=sorted({(a,b) for a,b,c in res})
servers=sorted({c for a,b,c in res})
others=[s for s in servers if s!='relay']
print("round        " + "  ".join(f"{s:>26}" for s in servers))
ratios={s:[] for s in others}; p999r={s:[] for s in others}
for rd in rounds:
    relay=res.get(rd+('relay',))
    line=f"{rd[0]}#{rd[1]:<8}"
    for s in servers:
        m=res.get(rd+(s,))
        if not m: line+=" "*28; continue
        txt=f"{m['delivered_per_s']/1000:6.1f}k p99.9 {m['latency_p999_ms']:6.1f}ms"
        if s!='relay' and relay:
            r=m['delivered_per_s']/relay['delivered_per_s']; ratios[s].append(r)
            q=m['latency_p999_ms']/relay['latency_p999_ms']; p999r[s].append(q)
            txt+=f" {r:.2f}x"
        line+=f"  {txt:>26}"
    print(line)
for s in others:
    print(f"{s}: throughput / relay median {statistics.median(ratios[s]):.2f} (each: {', '.join(f'{x:.2f}' for x in ratios[s])}); p99.9 / relay median {statistics.median(p999r[s]):.2f} (each: {', '.join(f'{x:.1f}' for x in p999r[s])})")
