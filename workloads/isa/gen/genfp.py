import sys
from fractions import Fraction as Fr
from fpref import *

FAM = sys.argv[1]          # 'f' or 'd'
F = S if FAM == 'f' else D
sfx = 's' if FAM == 'f' else 'd'
M64 = (1 << 64) - 1

def B(fmt, x):
    x = Fr(x)
    if x == 0: return 0
    r, fl = from_value(fmt, x, RNE)
    assert fl == 0, x
    return r
def neg(fmt, b): return b ^ fmt.signbit

# ---- constants of the format under test
c = {}
c['PZ'] = 0; c['NZ'] = F.signbit
for n, v in (('ONE', 1), ('TWO', 2), ('THREE', 3), ('FOUR', 4), ('HALF', Fr(1, 2)), ('TEN', 10), ('ONEP5', Fr(3, 2))):
    c[n] = B(F, v); c['M' + n] = neg(F, c[n])
c['TENTH'] = from_value(F, Fr(1, 10), RNE)[0]
c['FIFTH'] = from_value(F, Fr(1, 5), RNE)[0]
c['THIRD'] = from_value(F, Fr(1, 3), RNE)[0]; c['MTHIRD'] = neg(F, c['THIRD'])
c['MAX'] = F.maxfin; c['NMAX'] = neg(F, F.maxfin)
c['MINN'] = 1 << F.mbits; c['MAXSUB'] = (1 << F.mbits) - 1; c['MINSUB'] = 1
c['INF'] = F.inf; c['NINF'] = neg(F, F.inf)
c['QNAN'] = F.qnan; c['NQNAN'] = neg(F, F.qnan)
c['QNANP'] = F.qnan | 0x12345; c['SNAN'] = F.inf | 1; c['NSNAN'] = neg(F, F.inf | 0x2345)
U = F.mbits  # ulp(1) = 2^-U
c['ULP'] = B(F, Fr(1, 2 ** U)); c['HULP'] = B(F, Fr(1, 2 ** (U + 1)))
c['QULP'] = B(F, Fr(1, 2 ** (U + 2))); c['TQULP'] = B(F, Fr(3, 2 ** (U + 2)))
c['ONEPU'] = B(F, 1 + Fr(1, 2 ** U)); c['ONEP2U'] = B(F, 1 + Fr(2, 2 ** U))
c['ONEMU'] = B(F, 1 - Fr(1, 2 ** U)); c['ONEMH'] = B(F, 1 - Fr(1, 2 ** (U + 1)))
c['P2P'] = B(F, 2 ** F.p)          # 2^24 / 2^53
c['HULPMAX'] = B(F, Fr(2) ** (F.emax - F.p))    # half ulp of MAX
c['MINNx3'] = B(F, Fr(2) ** F.emin * 3)

# Tininess-after-rounding case (found by search): product just below 2^emin
TA = (0x3f7ffffe, 0x00800001) if FAM == 'f' else (0x3feffffffffffffe, 0x0010000000000001)

def v(*names): return tuple(c[n] if isinstance(n, str) else n for n in names)

ops = []   # (name, kind, has_rm, in_types, out_type, ref, vectors)
def addop(name, kind, has_rm, ins, out, ref, vecs):
    ops.append((name, kind, has_rm, ins, out, ref, [v(*t) for t in vecs]))

add_vecs = [('ONE', 'HULP'), ('ONE', 'TQULP'), ('ONE', 'QULP'), ('ONEPU', 'HULP'), ('MONE', neg(F, c['TQULP'])),
            ('ONE', 'MONE'), ('PZ', 'NZ'), ('NZ', 'NZ'), ('MAX', 'MAX'), ('NMAX', 'NMAX'), ('MAX', 'HULPMAX'),
            ('MINN', neg(F, 1)), ('MINSUB', 'MINSUB'), ('INF', 'NINF'), ('INF', 'ONE'), ('QNAN', 'ONE'),
            ('SNAN', 'ONE'), ('ONE', 'NSNAN'), ('TENTH', 'FIFTH'), ('P2P', 'ONE'), ('MTHIRD', 'TENTH')]
sub_vecs = [('ONE', 'HULP'), ('ONE', 'QULP'), ('ONE', 'ONE'), ('NZ', 'PZ'), ('PZ', 'PZ'), ('INF', 'INF'),
            ('NINF', 'INF'), ('TENTH', 'FIFTH'), ('NMAX', 'MAX'), ('QNAN', 'SNAN'), ('MINN', 'MAXSUB'),
            ('ONEPU', 'TQULP')]
mul_vecs = [('TENTH', 'TENTH'), ('ONEPU', 'ONEPU'), ('ONEPU', 'ONEMU'), ('MAX', 'TWO'), ('NMAX', 'TWO'),
            ('MINSUB', 'HALF'), (3, 'HALF'), ('MINN', 'HALF'), ('ONEMU', 'MINN'), TA, ('INF', 'PZ'),
            ('NINF', 'MONE'), ('NZ', 'ONE'), ('NZ', 'NZ'), ('QNAN', 'PZ'), ('SNAN', 'ONE'), ('THREE', 'THIRD'),
            ('MTHIRD', 'TEN'), ('MAXSUB', 'ONEP5')]
div_vecs = [('ONE', 'THREE'), ('MONE', 'THREE'), ('TWO', 'THREE'), ('ONE', 'PZ'), ('MONE', 'PZ'), ('ONE', 'NZ'),
            ('PZ', 'PZ'), ('INF', 'INF'), ('INF', 'ONE'), ('ONE', 'INF'), ('MAX', 'HALF'), ('MINN', 'THREE'),
            ('MINSUB', 'TWO'), ('QNAN', 'ONE'), ('SNAN', 'ONE'), ('PZ', 'QNAN'), ('ONE', 'TENTH'), ('TEN', 'FOUR'),
            ('NZ', 'THREE')]
sqrt_vecs = [('TWO',), ('THREE',), ('FOUR',), ('TENTH',), ('PZ',), ('NZ',), ('MONE',), ('INF',), ('NINF',),
             ('QNAN',), ('SNAN',), ('MINSUB',), ('MAXSUB',), ('MAX',), ('ONEPU',), ('ONEMU',)]
fma_vecs = [('ONEPU', B(F, 1 - Fr(2, 2 ** U)) if False else c['ONEMU'], 'MONE'), ('TENTH', 'TEN', 'MONE'),
            ('TWO', 'THREE', 'ONE'), ('INF', 'PZ', 'QNAN'), ('QNAN', 'ONE', 'ONE'), ('ONE', 'ONE', 'SNAN'),
            ('INF', 'ONE', 'NINF'), ('MAX', 'TWO', 'NMAX'), ('ONE', 'HULP', 'ONE'), ('PZ', 'ONE', 'NZ'),
            ('NZ', 'ONE', 'NZ'), ('ONEPU', 'ONEPU', neg(F, c['ONEP2U'])), ('THIRD', 'THREE', 'MONE'),
            ('MINN', 'HALF', 'MINSUB'), ('MAX', 'MAX', 'NINF'), ('ONE', 'ONE', 'MONE')]
pairs_cmp = [('ONE', 'ONE'), ('ONE', 'TWO'), ('TWO', 'ONE'), ('NZ', 'PZ'), ('PZ', 'NZ'), ('QNAN', 'ONE'),
             ('ONE', 'QNAN'), ('SNAN', 'ONE'), ('ONE', 'SNAN'), ('QNAN', 'QNAN'), ('NINF', 'INF'),
             ('MINSUB', 'PZ'), ('MONE', 'MTWO'), ('INF', 'INF')]
pairs_mm = [('ONE', 'TWO'), ('TWO', 'ONE'), ('NZ', 'PZ'), ('PZ', 'NZ'), ('QNAN', 'ONE'), ('ONE', 'QNAN'),
            ('SNAN', 'ONE'), ('ONE', 'SNAN'), ('QNAN', 'QNAN'), ('SNAN', 'QNAN'), ('NINF', 'INF'),
            ('NQNAN', 'MONE'), ('MINSUB', neg(F, 1)), ('MAX', 'INF')]
pairs_sgn = [('ONE', 'MONE'), ('MONE', 'ONE'), ('MONE', 'MONE'), ('ONE', 'ONE'), ('QNANP', 'NZ'), ('INF', 'PZ'),
             ('NZ', 'NZ'), ('SNAN', 'MONE'), ('NINF', 'NSNAN')]
cls_vals = [('NINF',), ('MONE',), (neg(F, 1),), ('NZ',), ('PZ',), ('MINSUB',), ('ONE',), ('INF',), ('SNAN',),
            ('QNAN',), ('NQNAN',), ('MAXSUB',), ('MAX',), ('NSNAN',), ('MINN',), (neg(F, c['MAXSUB']),)]

def fb(x): return B(F, x)
cvt_vals = [0, F.signbit, fb(Fr(1, 2)), neg(F, fb(Fr(1, 2))), fb(Fr(3, 2)), neg(F, fb(Fr(3, 2))), fb(Fr(5, 2)),
            neg(F, fb(Fr(5, 2))), fb(Fr(3, 4)), c['TENTH'], c['MONE'], c['INF'], c['NINF'], c['QNAN'], c['SNAN'],
            c['MINSUB'], neg(F, 1), fb(2 ** 31), neg(F, fb(2 ** 31)), fb(2 ** 32), fb(2 ** 63), neg(F, fb(2 ** 63)),
            fb(2 ** 64), fb(Fr(-7, 4))]
if FAM == 'f':
    cvt_vals += [0x4effffff, 0xcf000001, 0x4f7fffff, 0x5effffff, 0x5f7fffff, 0xdf000001]
else:
    cvt_vals += [fb(2 ** 31 - 1) + 0, fb(2 ** 31 - Fr(1, 2)), fb(-2 ** 31 - Fr(1, 2)), fb(2 ** 32 - Fr(1, 2)),
                 fb(2 ** 32 - 1), fb(-2 ** 31 - 1), 0x43dfffffffffffff, 0x43efffffffffffff, 0xc3e0000000000001,
                 fb(Fr(-1, 2 ** 40))]
int_vals = [0, 1, M64, 0x7fffffff, 0x80000000, 0x01000001, 0x01000003, 0xffffffff, 0x100000003,
            0x7fffffffffffffff, 0x8000000000000000, 0x0020000000000001, 0x0020000000000003, 0xfedcba9876543210,
            0xffffffff80000001, 0x00000000fffffffd, 0x7ffffffffffffdff]

I = lambda b: b    # identity for int
S_ = sfx
addop('fadd.' + S_, 'FF', 1, 'ff', 'f', lambda a, b, rm: add(F, a, b, rm), add_vecs)
addop('fsub.' + S_, 'FF', 1, 'ff', 'f', lambda a, b, rm: add(F, a, b, rm, negb=True), sub_vecs)
addop('fmul.' + S_, 'FF', 1, 'ff', 'f', lambda a, b, rm: mul(F, a, b, rm), mul_vecs)
addop('fdiv.' + S_, 'FF', 1, 'ff', 'f', lambda a, b, rm: div(F, a, b, rm), div_vecs)
addop('fsqrt.' + S_, 'F', 1, 'f', 'f', lambda a, rm: sqrt(F, a, rm), sqrt_vecs)
addop('fmadd.' + S_, 'FFF', 1, 'fff', 'f', lambda a, b, cc, rm: fma(F, a, b, cc, rm), fma_vecs)
addop('fmsub.' + S_, 'FFF', 1, 'fff', 'f', lambda a, b, cc, rm: fma(F, a, b, cc, rm, negc=True), fma_vecs)
addop('fnmsub.' + S_, 'FFF', 1, 'fff', 'f', lambda a, b, cc, rm: fma(F, a, b, cc, rm, negprod=True), fma_vecs)
addop('fnmadd.' + S_, 'FFF', 1, 'fff', 'f', lambda a, b, cc, rm: fma(F, a, b, cc, rm, negprod=True, negc=True), fma_vecs)
addop('fmin.' + S_, 'FF', 0, 'ff', 'f', lambda a, b: minmax(F, a, b, False), pairs_mm)
addop('fmax.' + S_, 'FF', 0, 'ff', 'f', lambda a, b: minmax(F, a, b, True), pairs_mm)
addop('feq.' + S_, 'XFF', 0, 'ff', 'x', lambda a, b: compare(F, a, b, 'eq'), pairs_cmp)
addop('flt.' + S_, 'XFF', 0, 'ff', 'x', lambda a, b: compare(F, a, b, 'lt'), pairs_cmp)
addop('fle.' + S_, 'XFF', 0, 'ff', 'x', lambda a, b: compare(F, a, b, 'le'), pairs_cmp)
sb = F.signbit
addop('fsgnj.' + S_, 'FF', 0, 'ff', 'f', lambda a, b: ((a & ~sb) | (b & sb), 0), pairs_sgn)
addop('fsgnjn.' + S_, 'FF', 0, 'ff', 'f', lambda a, b: ((a & ~sb) | (~b & sb), 0), pairs_sgn)
addop('fsgnjx.' + S_, 'FF', 0, 'ff', 'f', lambda a, b: (a ^ (b & sb), 0), pairs_sgn)
addop('fclass.' + S_, 'XF', 0, 'f', 'x', lambda a: (fclass(F, a), 0), cls_vals)
for nm, bits, sg in (('w', 32, 1), ('wu', 32, 0), ('l', 64, 1), ('lu', 64, 0)):
    addop('fcvt.%s.%s' % (nm, S_), 'XF', 1, 'f', 'x',
          (lambda bits, sg: lambda a, rm: to_int(F, a, rm, bits, sg))(bits, sg), [(x,) for x in cvt_vals])
for nm, bits, sg in (('w', 32, 1), ('wu', 32, 0), ('l', 64, 1), ('lu', 64, 0)):
    exact = FAM == 'd' and bits == 32
    addop('fcvt.%s.%s' % (S_, nm), 'FX', 0 if exact else 1, 'x', 'f',
          (lambda bits, sg: (lambda a, rm=RNE: from_int(F, a, rm, bits, sg)))(bits, sg), [(x,) for x in int_vals])
if FAM == 'd':
    sv = [0, 0x80000000, 0x3f800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc12345, 0x00000001,
          0x807fffff, 0x7f7fffff, 0x3dcccccd, 0x00800000]
    addop('fcvt.d.s', 'FS', 0, 's', 'f', lambda a: convert(S, D, a, RNE), [(x,) for x in sv])
    dv = [0, D.signbit, 0x3ff0000000000000, 0x3fb999999999999a, 0xbfb999999999999a, 0x7ff0000000000000,
          0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001, 0xfff8000000012345, 0x47efffffe0000000,
          0x47efffffefffffff, 0x47efffff00000000, 0x47f0000000000000, 0xc7efffffe0000000, 0x380fffffe0000000,
          0x3690000000000000, 0x36a0000000000000, 0x36a8000000000000, 0x0000000000000001, 0x8000000000000001,
          0x3ff0000010000000, 0x3ff0000030000000, 0x3ff0000010000001, 0x380fffffffffffff, 0xb80fffffe0000000]
    addop('fcvt.s.d', 'SF', 1, 'f', 's', lambda a, rm: convert(D, S, a, rm), [(x,) for x in dv])

# ---------------------------------------------------------------- emit C
RMS = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'dyn']
def cname(n): return n.replace('.', '_')

asm_tpl = {
    'FF':  ('{op} ft3, ft0, ft1{rm}\\n\\tfmv.x.d %0, ft3'),
    'F':   ('{op} ft3, ft0{rm}\\n\\tfmv.x.d %0, ft3'),
    'FFF': ('{op} ft3, ft0, ft1, ft2{rm}\\n\\tfmv.x.d %0, ft3'),
    'XFF': ('{op} %0, ft0, ft1'),
    'XF':  ('{op} %0, ft0{rm}'),
    'FX':  ('{op} ft3, %2{rm}\\n\\tfmv.x.d %0, ft3'),
    'FS':  ('{op} ft3, ft0\\n\\tfmv.x.d %0, ft3'),
    'SF':  ('{op} ft3, ft0{rm}\\n\\tfmv.x.d %0, ft3'),
}
out = []
w = out.append
fnlines = []
tablines = []
for i, (name, kind, has_rm, ins, outt, ref, vecs) in enumerate(ops):
    cn = cname(name)
    if has_rm:
        for rm in RMS:
            fnlines.append('FN(%s_%s, "%s")' % (cn, rm, asm_tpl[kind].format(op=name, rm=', ' + rm)))
        tablines.append('    { "%s", "%s", %d, %d, { %s } },' % (name, ins, 1, {'f': 1, 's': 2, 'x': 0}[outt] if True else 0,
                        ', '.join('%s_%s' % (cn, rm) for rm in RMS)))
    else:
        fnlines.append('FN(%s, "%s")' % (cn, asm_tpl[kind].format(op=name, rm='')))
        tablines.append('    { "%s", "%s", %d, %d, { %s } },' % (name, ins, 0, {'f': 1, 's': 2, 'x': 0}[outt], cn))

# vectors
veclines = []
count = 0
for i, (name, kind, has_rm, ins, outt, ref, vecs) in enumerate(ops):
    cn = cname(name).upper()
    veclines.append('    /* %s */' % name)
    for j, t in enumerate(vecs):
        args = list(t) + [0] * (3 - len(t))
        if has_rm:
            rows = [(rm, rm) for rm in range(5)]
            # dynamic rounding: frm cycles through the modes; the first two vectors of each op get all five
            dyn_modes = range(5) if j < 2 else [j % 5]
            rows += [(8 + m, m) for m in dyn_modes]
        else:
            rows = [(-1, RNE)]
        for rmcode, m in rows:
            r, fl = ref(*t, m) if has_rm else ref(*t)
            rmtxt = {-1: 'NORM', 8: 'DYN_RNE', 9: 'DYN_RTZ', 10: 'DYN_RDN', 11: 'DYN_RUP', 12: 'DYN_RMM'}.get(rmcode, RMNAME[rmcode % 8].upper() if rmcode >= 0 else '')
            fls = '|'.join(n for n, b in (('NV', NV), ('DZ', DZ), ('OF', OF), ('UF', UF), ('NX', NX)) if fl & b) or '0'
            width = lambda x, ty: ('0x%08x' if (ty == 's' or (ty == 'f' and FAM == 'f')) else '0x%016x') % x
            a_s = ', '.join(width(args[k], ins[k] if k < len(ins) else 'x') for k in range(3)) if False else None
            fields = []
            for k in range(3):
                ty = ins[k] if k < len(ins) else None
                if ty is None: fields.append('0')
                else: fields.append(width(args[k], ty))
            veclines.append('    { %s, %s, %s, %s, %s },' % (cn, rmtxt, ', '.join(fields), width(r, outt), fls))
            count += 1
    veclines.append('')

print('\n'.join(fnlines), file=open('fp_%s_fns.inc' % FAM, 'w'))
print('\n'.join(tablines), file=open('fp_%s_ops.inc' % FAM, 'w'))
print('\n'.join('    %s,' % cname(o[0]).upper() for o in ops), file=open('fp_%s_enum.inc' % FAM, 'w'))
print('\n'.join(veclines), file=open('fp_%s_vecs.inc' % FAM, 'w'))
print(count, 'vectors')

# ---- raw (unboxed) inputs to single-precision operations: read as the canonical NaN
def unbox(x): return x & 0xffffffff if x >> 32 == 0xffffffff else 0x7fc00000
rawlines = []
opidx = {o[0]: o for o in ops}
def raw(opname, *args):
    o = opidx[opname]
    name, kind, has_rm, ins, outt, ref, _ = o
    ub = tuple(unbox(a) if ins[k] in 'fs' and (FAM == 'f' or ins[k] == 's') else a for k, a in enumerate(args))
    r, fl = ref(*ub, RNE) if has_rm else ref(*ub)
    fls = '|'.join(n for n, b in (('NV', NV), ('DZ', DZ), ('OF', OF), ('UF', UF), ('NX', NX)) if fl & b) or '0'
    a3 = list(args) + [0] * (3 - len(args))
    wr = ('0x%08x' if (outt == 's' or (outt == 'f' and FAM == 'f')) else '0x%016x') % r
    rawlines.append('    { %s, %s, %s, %s, %s },' % (cname(name).upper(), 'RNE' if has_rm else 'NORM',
                    ', '.join('0x%016x' % x for x in a3), wr, fls))
UNB1 = 0x000000003f800000       # 1.0f bits, upper word zero
UNB2 = 0x7ff0000000000001       # a double sNaN; as a single: not boxed
UNB3 = 0xfffffffebf800000       # upper word almost all ones
BOX = lambda x: 0xffffffff00000000 | x
if FAM == 'f':
    ONEb, MONEb, TWOb = BOX(c['ONE']), BOX(c['MONE']), BOX(c['TWO'])
    raw('fadd.s', UNB1, ONEb); raw('fadd.s', ONEb, UNB2); raw('fadd.s', UNB3, UNB3)
    raw('fmul.s', TWOb, UNB1); raw('fdiv.s', UNB1, ONEb); raw('fsqrt.s', UNB1)
    raw('fmadd.s', ONEb, ONEb, UNB1); raw('fnmsub.s', UNB2, ONEb, ONEb)
    raw('fsgnj.s', UNB1, MONEb); raw('fsgnj.s', MONEb, UNB1); raw('fsgnjn.s', UNB3, ONEb)
    raw('fsgnjx.s', MONEb, UNB3); raw('fsgnjn.s', MONEb, UNB2)
    raw('fmin.s', UNB1, ONEb); raw('fmax.s', MONEb, UNB2); raw('fmax.s', UNB1, UNB3)
    raw('feq.s', UNB1, UNB1); raw('feq.s', ONEb, UNB1); raw('flt.s', UNB1, ONEb); raw('fle.s', ONEb, UNB2)
    raw('fclass.s', UNB1); raw('fclass.s', UNB2); raw('fclass.s', UNB3)
    raw('fcvt.w.s', UNB1); raw('fcvt.lu.s', UNB2)
else:
    raw('fcvt.d.s', UNB1); raw('fcvt.d.s', UNB2); raw('fcvt.d.s', UNB3); raw('fcvt.d.s', BOX(0x3f800000))
print('\n'.join(rawlines), file=open('fp_%s_raw.inc' % FAM, 'w'))
