M=(1<<64)-1; W=0xffffffff
def s64(x): return x-(1<<64) if x>>63 else x
def s32(x): x&=W; return x-(1<<32) if x>>31 else x
fn={'swap':lambda a,b:b,'add':lambda a,b:a+b,'xor':lambda a,b:a^b,'and':lambda a,b:a&b,'or':lambda a,b:a|b}
def amo(op,w,old,b):
    if w:
        a=old&W; b2=b&W
        if op=='min': r=a if s32(a)<=s32(b2) else b2
        elif op=='max': r=a if s32(a)>=s32(b2) else b2
        elif op=='minu': r=min(a,b2)
        elif op=='maxu': r=max(a,b2)
        else: r=fn[op](a,b2)&W
        return (s32(a)&M), r
    else:
        a=old
        if op=='min': r=a if s64(a)<=s64(b) else b
        elif op=='max': r=a if s64(a)>=s64(b) else b
        elif op=='minu': r=min(a,b)
        elif op=='maxu': r=max(a,b)
        else: r=fn[op](a,b)&M
        return a, r
# word cases: (mem word, rs2)
wcases={
 'swap':[(0x80000001,0x12345678),(0x12345678,0xffffffff80000001),(0xdeadbeef,0xabcdef0000000000)],
 'add':[(0x7fffffff,1),(0xffffffff,1),(5,0x1234567800000003),(0x80000000,0x80000000)],
 'xor':[(0xf0f0f0f0,0xffffffffffffffff),(0x12345678,0x12345678)],
 'and':[(0xf0f0f0f0,0x0ff00ff0),(0x89abcdef,0xffffffff00000000)],
 'or':[(0x00ff00ff,0x80000000),(0,0xabcd000000001234)],
 'min':[(0xffffffff,1),(1,0xffffffff),(0x80000000,0x7fffffff),(0x7fffffff,0xffffffff80000000),(0x5,0x1_00000005)],
 'max':[(0xffffffff,1),(1,0xffffffff),(0x80000000,0x7fffffff),(0x7fffffff,0xffffffff80000000)],
 'minu':[(0xffffffff,1),(1,0xffffffff),(0x80000000,0x7fffffff),(0x00000002,0xffffffff00000001)],
 'maxu':[(0xffffffff,1),(1,0xffffffff),(0x80000000,0x7fffffff),(0x00000002,0x0000000100000001)],
}
MIN=1<<63;MAX=MIN-1
dcases={
 'swap':[(0x8000000000000001,0x123456789abcdef0),(0,M)],
 'add':[(MAX,1),(M,1),(0xffffffff,1),(MIN,MIN)],
 'xor':[(0xf0f0f0f0f0f0f0f0,M),(0x123456789abcdef0,0x0fedcba987654321)],
 'and':[(0xf0f0f0f0f0f0f0f0,0xff00ff00ff00ff00),(M,0)],
 'or':[(0x00ff00ff00ff00ff,MIN),(0,0)],
 'min':[(M,1),(1,M),(MIN,MAX),(MAX,MIN),(0xffffffff,0x100000000)],
 'max':[(M,1),(1,M),(MIN,MAX),(MAX,MIN)],
 'minu':[(M,1),(1,M),(MIN,MAX),(0xffffffff,0x100000000)],
 'maxu':[(M,1),(1,M),(MIN,MAX),(0xffffffff,0x100000000)],
}
sfx=['','.aq','.rl','.aqrl']
i=0
for op in ['swap','add','xor','and','or','min','max','minu','maxu']:
    for w,cases in ((1,wcases),(0,dcases)):
        for old,b in cases[op]:
            rd,new=amo(op,w,old,b)
            name='amo%s.%s%s'%(op,'w' if w else 'd',sfx[i%4]); i+=1
            if w:
                # word at offset 0 and at offset 4 alternately; neighbour word 0x5a5a5a5a
                off=4 if (i%2) else 0
                print('    T_AMOW("%s", %d, 0x%08x, 0x%016x, 0x%016x, 0x%08x);'%(name,off,old,b,rd,new))
            else:
                print('    T_AMOD("%s", 0x%016x, 0x%016x, 0x%016x, 0x%016x);'%(name,old,b,rd,new))
    print()
