import sys,collections
def load(f):
    d=[]
    for line in open(f):
        st,_,n=line.rstrip().rpartition(' ')
        d.append((st.split(';'),int(n)))
    return d
def cat(fr):
    s=';'.join(fr)
    if 'CompileBroker' in s or 'C2Compiler' in s or 'C1Compiler' in s: return 'jit'
    if fr[0].startswith('GCTaskThread') or 'G1' in fr[0] or 'WorkerThread' in s or 'ConcurrentGCThread' in s: return 'gc'
    if any(x in s for x in ('sun/security','com/sun/crypto','java/security','javax/crypto','sun/util/','javax/net/ssl')): return 'jsse'
    if 'dev/aio4j' in s: return 'aio4j'
    if 'jmh' in s: return 'jmh'
    return 'other'
if __name__=="__main__":
 for f in sys.argv[1:]:
     d=load(f); tot=sum(n for _,n in d)
     c=collections.Counter()
     for fr,n in d: c[cat(fr)]+=n
     print(f.split('/')[-2][:60], tot, {k:f"{v} ({100*v/tot:.1f}%)" for k,v in c.most_common()})
