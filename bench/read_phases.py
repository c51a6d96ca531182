"""Time the reader phase by phase: python bench/read_phases.py FILE N_TASKS (see bench/README.md)."""
import time, gc, sys
from procmap import _xml, bpmn
p=sys.argv[1]
best={}
for i in range(3):
    gc.disable()
    t0=time.perf_counter(); L=_xml.parse(p, max_bytes=None); t1=time.perf_counter()
    r=bpmn._Reader(L.root, L.name, L.warnings)
    for el in r.root:
        if el.tag==bpmn._M+'process': r._process(el)
        elif el.tag==bpmn._M+'collaboration': r._collaboration(el)
    t2=time.perf_counter(); r._resolve_lanes(); t3=time.perf_counter(); sh=r._diagrams(); t4=time.perf_counter()
    r._place_unassigned(sh); t5=time.perf_counter(); m=r._build(sh); t6=time.perf_counter()
    for k,v in dict(parse=t1-t0,sem=t2-t1,lanes=t3-t2,di=t4-t3,place=t5-t4,build=t6-t5,total=t6-t0).items():
        best[k]=min(best.get(k,9e9),v)
    del m, r, L, sh
    gc.enable(); gc.collect()
n=int(sys.argv[2])
print(' '.join(f'{k} {v/n*1e6:.1f}us' for k,v in best.items()))
