import json,glob,sys,os
d=sys.argv[1]
rows={}
for f in sorted(glob.glob(d+'/*.json')):
    if os.path.getsize(f)==0: continue
    name=os.path.basename(f)[:-5]
    r={}
    try: data=json.load(open(f))
    except Exception: continue
    for b in data:
        m=b['benchmark'].split('.')[-1]
        r[m]=(b['primaryMetric']['score']/1e3, b['primaryMetric']['scoreError']/1e3, b['secondaryMetrics'].get('gc.alloc.rate.norm',{}).get('score',0)/1024)
    rows[name]=r
print("run        aio4j us (KiB/op)      bare us (KiB/op)      control us (KiB/op)   plain us (KiB/op)   bare/aio4j  control/aio4j  aio4j-control us")
for name,r in sorted(rows.items(), key=lambda x:(x[0].split('-')[-1],x[0])):
    a=r.get('aio4j'); b=r.get('bareEngines'); c=r.get('bareEnginesAndPlainTcp'); p=r.get('plainTcp')
    if not (a and b and c and p): continue
    print(f"{name:9s} {a[0]:6.0f}±{a[1]:4.0f} ({a[2]:5.1f})  {b[0]:6.0f}±{b[1]:4.0f} ({b[2]:5.1f})  {c[0]:6.0f}±{c[1]:4.0f} ({c[2]:5.1f})  {p[0]:5.1f} ({p[2]:4.1f})   {b[0]/a[0]:.3f}      {c[0]/a[0]:.3f}        {a[0]-c[0]:5.0f}")
