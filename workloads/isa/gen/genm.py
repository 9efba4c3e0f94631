M=(1<<64)-1
def s64(x): x&=M; return x-(1<<64) if x>>63 else x
def s32(x): x&=0xffffffff; return x-(1<<32) if x>>31 else x
def sext32(x): return s32(x)&M
def tdiv(a,b):
    q=abs(a)//abs(b); return q if (a<0)==(b<0) else -q
def div(a,b):
    a,b=s64(a),s64(b)
    if b==0: return M
    if a==-(1<<63) and b==-1: return a&M
    return tdiv(a,b)&M
def rem(a,b):
    a,b=s64(a),s64(b)
    if b==0: return a&M
    if a==-(1<<63) and b==-1: return 0
    return (a-b*tdiv(a,b))&M
def divu(a,b): return M if b==0 else a//b
def remu(a,b): return a if b==0 else a%b
def divw(a,b):
    a,b=s32(a),s32(b)
    if b==0: return M
    if a==-(1<<31) and b==-1: return sext32(a)
    return sext32(tdiv(a,b))
def remw(a,b):
    a,b=s32(a),s32(b)
    if b==0: return sext32(a)
    if a==-(1<<31) and b==-1: return 0
    return sext32(a-b*tdiv(a,b))
def divuw(a,b):
    a,b=a&0xffffffff,b&0xffffffff
    return M if b==0 else sext32(a//b)
def remuw(a,b):
    a,b=a&0xffffffff,b&0xffffffff
    return sext32(a) if b==0 else sext32(a%b)
ops={
 'mul':lambda a,b:(a*b)&M,
 'mulh':lambda a,b:((s64(a)*s64(b))>>64)&M,
 'mulhsu':lambda a,b:((s64(a)*b)>>64)&M,
 'mulhu':lambda a,b:((a*b)>>64)&M,
 'mulw':lambda a,b:sext32(a*b),
 'div':div,'divu':divu,'rem':rem,'remu':remu,
 'divw':divw,'divuw':divuw,'remw':remw,'remuw':remuw}
MIN=1<<63; MAX=MIN-1
common=[(0,0),(3,7),(M,M),(MIN,M),(M,MIN),(MIN,MIN),(MAX,MAX),(MAX,MIN),(0x123456789abcdef0,0x0fedcba987654321),
 (0xffffffff,0xffffffff),(0x100000000,0x100000000),(M,1),(1,M),(0xfedcba9876543210,2),(2,0xfedcba9876543210),(MIN,2),(0,M)]
mulw=[(0x7fffffff,2),(0x80000000,M),(0xffffffff,0xffffffff),(0x1234567800000003,0xabcdef0000000005),(0x10000,0x10000),(0x8000,0x10000),(M,M),(0x7fffffff,0x7fffffff)]
divs=[(20,6),(s64(-20)&M,6),(20,s64(-6)&M),(s64(-20)&M,s64(-6)&M),(0,5),(5,0),(0,0),(s64(-5)&M,0),(MIN,M),(MIN,1),(MIN,0),(MAX,M),(M,2),(1,M),(MIN,2),(0x123456789abcdef0,0x1234),(7,7),(MAX,MIN),(M,M)]
divws=[(20,6),(0xffffffec,6),(20,0xfffffffa),(0xffffffec,0xfffffffa),(5,0),(0xfffffffb,0),(0x123456780000000b,0),(0x80000000,M),(0xffffffff80000000,0xffffffff),(0x80000000,1),(0x80000000,0),
 (0x7fffffff,0xffffffff),(0x100000006,3),(0x6,0x100000003),(0xffffffff,2),(0x80000000,2),(0xdeadbeef,0x1234),(0x1ffffffff,0x100000000)]
out=[]
for op in ['mul','mulh','mulhsu','mulhu']:
    for a,b in common: out.append((op,a,b))
for op in ['mulw']:
    for a,b in mulw: out.append((op,a,b))
for op in ['div','divu','rem','remu']:
    for a,b in divs: out.append((op,a,b))
for op in ['divw','divuw','remw','remuw']:
    for a,b in divws: out.append((op,a,b))
cur=None
for op,a,b in out:
    if op!=cur:
        print(); cur=op
    print('    T_RR("%s", 0x%016x, 0x%016x, 0x%016x);'%(op,a,b,ops[op](a,b)))
