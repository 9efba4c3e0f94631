"""Reference IEEE 754 binary32/binary64 arithmetic (RISC-V F/D flavour), exact via Fractions."""
from fractions import Fraction as Fr
from math import isqrt

NV, DZ, OF, UF, NX = 0x10, 0x08, 0x04, 0x02, 0x01
RNE, RTZ, RDN, RUP, RMM = 0, 1, 2, 3, 4
RMNAME = ['rne', 'rtz', 'rdn', 'rup', 'rmm']

class Fmt:
    def __init__(s, ebits, p):
        s.ebits, s.p = ebits, p            # p includes hidden bit
        s.bias = (1 << (ebits - 1)) - 1
        s.emax = s.bias
        s.emin = 1 - s.bias
        s.width = ebits + p
        s.mbits = p - 1
        s.signbit = 1 << (s.width - 1)
        s.expmask = ((1 << ebits) - 1) << s.mbits
        s.fracmask = (1 << s.mbits) - 1
        s.qnan = s.expmask | (1 << (s.mbits - 1))   # canonical NaN
        s.inf = s.expmask
        s.maxfin = s.expmask - 1
    def unpack(s, b):
        sign = b >> (s.width - 1) & 1
        e = (b & s.expmask) >> s.mbits
        f = b & s.fracmask
        if e == (1 << s.ebits) - 1:
            if f == 0: return ('inf', sign, None)
            return ('snan' if not (f >> (s.mbits - 1)) & 1 else 'qnan', sign, None)
        if e == 0:
            v = Fr(f, 1) * Fr(2) ** (s.emin - s.mbits)
            return ('zero' if f == 0 else 'sub', sign, v)
        v = Fr(f | (1 << s.mbits)) * Fr(2) ** (e - s.bias - s.mbits)
        return ('norm', sign, v)
    def isnan(s, b): return s.unpack(b)[0] in ('qnan', 'snan')
    def issnan(s, b): return s.unpack(b)[0] == 'snan'
    def value(s, b):
        k, sg, v = s.unpack(b)
        if k == 'inf': return float('-inf') if sg else float('inf')
        return -v if sg else v

S = Fmt(8, 24)
D = Fmt(11, 53)

def _floor_log2(x):
    # x > 0 Fraction
    n, d = x.numerator, x.denominator
    e = n.bit_length() - d.bit_length()
    if Fr(2) ** e > x: e -= 1
    if Fr(2) ** (e + 1) <= x: e += 1
    return e

class Exact:
    """A nonnegative magnitude: either a Fraction, or sqrt of a Fraction."""
    def __init__(s, v, is_sqrt=False): s.v, s.sq = v, is_sqrt
    def iszero(s): return s.v == 0
    def floor_log2(s):
        if not s.sq: return _floor_log2(s.v)
        return _floor_log2(s.v) // 2   # floor(log2(sqrt v)) = floor(floor(log2 v)/2)
    def scaled(s, q):
        """magnitude / q (q power-of-two Fraction): (integer floor, class 0 exact,1 <half,2 half,3 >half)"""
        if not s.sq:
            y = s.v / q
            fl = y.numerator // y.denominator
            fr = y - fl
        else:
            y = s.v / (q * q)
            fl = isqrt(y.numerator // y.denominator)
            # compare sqrt(y) with fl and fl+1/2
            if y == fl * fl: return fl, 0
            h = Fr(2 * fl + 1, 2) ** 2
            return fl, (1 if y < h else 2 if y == h else 3)
        if fr == 0: return fl, 0
        return fl, (1 if fr < Fr(1, 2) else 2 if fr == Fr(1, 2) else 3)

def _round_int(fl, cls, sign, rm):
    if cls == 0: return fl
    if rm == RNE: up = cls == 3 or (cls == 2 and fl & 1)
    elif rm == RTZ: up = False
    elif rm == RDN: up = bool(sign)
    elif rm == RUP: up = not sign
    elif rm == RMM: up = cls >= 2
    return fl + 1 if up else fl

def round_to(fmt, sign, mag, rm):
    """Round sign*mag (Exact, nonzero) to fmt. Returns (bits, flags)."""
    flags = 0
    e = mag.floor_log2()
    # rounding with unbounded exponent range, to detect tininess after rounding
    q = Fr(2) ** (e - fmt.p + 1)
    fl, cls = mag.scaled(q)
    m = _round_int(fl, cls, sign, rm)
    e_unb = e + (1 if m == (1 << fmt.p) else 0)
    tiny = e_unb < fmt.emin
    inexact = cls != 0
    if e_unb > fmt.emax:
        flags |= OF | NX
        if rm == RTZ or (rm == RDN and not sign) or (rm == RUP and sign):
            b = fmt.maxfin
        else:
            b = fmt.inf
        return (fmt.signbit if sign else 0) | b, flags
    if e < fmt.emin:
        q = Fr(2) ** (fmt.emin - fmt.p + 1)
        fl, cls = mag.scaled(q)
        m = _round_int(fl, cls, sign, rm)
        inexact = cls != 0
        # m < 2^p here; m == 2^(p-1) means min normal
        if m >= (1 << (fmt.p - 1)):
            b = (1 << fmt.mbits) | (m - (1 << (fmt.p - 1)))   # exponent field 1
        else:
            b = m
    else:
        if m == (1 << fmt.p):
            m >>= 1; e += 1
        b = ((e + fmt.bias) << fmt.mbits) | (m - (1 << fmt.mbits))
    if inexact:
        flags |= NX
        if tiny: flags |= UF
    return (fmt.signbit if sign else 0) | b, flags

def _zero(fmt, sign): return fmt.signbit if sign else 0

def from_value(fmt, val, rm, zero_sign=None):
    """Round a signed Fraction; exact zero gets zero_sign."""
    if val == 0: return _zero(fmt, zero_sign), 0
    return round_to(fmt, 1 if val < 0 else 0, Exact(abs(val)), rm)

def _nan_in(fmt, *bs):
    fl = NV if any(fmt.issnan(b) for b in bs) else 0
    if any(fmt.isnan(b) for b in bs): return fmt.qnan, fl
    return None

def add(fmt, a, b, rm, negb=False):
    if negb: b ^= fmt.signbit
    r = _nan_in(fmt, a, b)
    if r:
        # sNaN check must use original b (sign flip keeps sNaN-ness)
        return r
    ka, sa, va = fmt.unpack(a); kb, sb, vb = fmt.unpack(b)
    if ka == 'inf' and kb == 'inf':
        return (fmt.qnan, NV) if sa != sb else (a, 0)
    if ka == 'inf': return a, 0
    if kb == 'inf': return b, 0
    s = fmt.value(a) + fmt.value(b)
    if s == 0:
        if ka == 'zero' and kb == 'zero' and sa == sb: zs = sa
        else: zs = 1 if rm == RDN else 0
        return _zero(fmt, zs), 0
    return from_value(fmt, s, rm)

def mul(fmt, a, b, rm):
    r = _nan_in(fmt, a, b)
    if r: return r
    ka, sa, _ = fmt.unpack(a); kb, sb, _ = fmt.unpack(b)
    sg = sa ^ sb
    if (ka == 'inf' and kb == 'zero') or (kb == 'inf' and ka == 'zero'): return fmt.qnan, NV
    if ka == 'inf' or kb == 'inf': return _zero(fmt, sg) | fmt.inf, 0
    p = fmt.value(a) * fmt.value(b)
    if p == 0: return _zero(fmt, sg), 0
    return from_value(fmt, p, rm)

def div(fmt, a, b, rm):
    r = _nan_in(fmt, a, b)
    if r: return r
    ka, sa, _ = fmt.unpack(a); kb, sb, _ = fmt.unpack(b)
    sg = sa ^ sb
    if ka == 'inf' and kb == 'inf': return fmt.qnan, NV
    if ka == 'zero' and kb == 'zero': return fmt.qnan, NV
    if ka == 'inf': return _zero(fmt, sg) | fmt.inf, 0
    if kb == 'inf': return _zero(fmt, sg), 0
    if kb == 'zero': return _zero(fmt, sg) | fmt.inf, DZ
    if ka == 'zero': return _zero(fmt, sg), 0
    return from_value(fmt, fmt.value(a) / fmt.value(b), rm)

def sqrt(fmt, a, rm):
    r = _nan_in(fmt, a)
    if r: return r
    k, sg, v = fmt.unpack(a)
    if k == 'zero': return a, 0
    if sg: return fmt.qnan, NV
    if k == 'inf': return a, 0
    return round_to(fmt, 0, Exact(v, True), rm)

def fma(fmt, a, b, c, rm, negprod=False, negc=False):
    fl = NV if any(fmt.issnan(x) for x in (a, b, c)) else 0
    ka, sa, _ = fmt.unpack(a); kb, sb, _ = fmt.unpack(b); kc, sc, _ = fmt.unpack(c)
    if (ka == 'inf' and kb == 'zero') or (ka == 'zero' and kb == 'inf'):
        return fmt.qnan, NV
    if any(fmt.isnan(x) for x in (a, b, c)): return fmt.qnan, fl
    sp = sa ^ sb ^ (1 if negprod else 0)
    sc ^= 1 if negc else 0
    pinf = ka == 'inf' or kb == 'inf'
    if pinf and kc == 'inf' and sp != sc: return fmt.qnan, NV
    if pinf: return _zero(fmt, sp) | fmt.inf, 0
    if kc == 'inf': return _zero(fmt, sc) | fmt.inf, 0
    pv = fmt.value(a) * fmt.value(b) * (-1 if negprod else 1)
    cv = fmt.value(c) * (-1 if negc else 1)
    s = pv + cv
    if s == 0:
        pzero = pv == 0
        if pzero and kc == 'zero' and sp == sc: zs = sp
        else: zs = 1 if rm == RDN else 0
        return _zero(fmt, zs), 0
    return from_value(fmt, s, rm)

def minmax(fmt, a, b, is_max):
    fl = NV if (fmt.issnan(a) or fmt.issnan(b)) else 0
    na, nb = fmt.isnan(a), fmt.isnan(b)
    if na and nb: return fmt.qnan, fl
    if na: return b, fl
    if nb: return a, fl
    va, vb = fmt.value(a), fmt.value(b)
    if va == vb == 0:
        sa = a >> (fmt.width - 1); sb = b >> (fmt.width - 1)
        if is_max: return (a if sa == 0 else b), 0
        return (a if sa == 1 else b), 0
    if is_max: return (a if va > vb else b), 0
    return (a if va < vb else b), 0

def compare(fmt, a, b, op):
    na, nb = fmt.isnan(a), fmt.isnan(b)
    if na or nb:
        if op == 'eq': return 0, (NV if fmt.issnan(a) or fmt.issnan(b) else 0)
        return 0, NV
    va, vb = fmt.value(a), fmt.value(b)
    return int({'eq': va == vb, 'lt': va < vb, 'le': va <= vb}[op]), 0

def fclass(fmt, a):
    k, sg, _ = fmt.unpack(a)
    if k == 'snan': return 1 << 8
    if k == 'qnan': return 1 << 9
    idx = {'inf': 0, 'norm': 1, 'sub': 2, 'zero': 3}[k]
    return 1 << (idx if sg else 7 - idx)

def to_int(fmt, a, rm, bits, signed):
    k, sg, v = fmt.unpack(a)
    lo = -(1 << (bits - 1)) if signed else 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    if k in ('qnan', 'snan'): r, fl = hi, NV
    elif k == 'inf': r, fl = (lo if sg else hi), NV
    else:
        if v == 0: m, cls = 0, 0
        else: m, cls = Exact(v).scaled(Fr(1))
        m = _round_int(m, cls, sg, rm)
        val = -m if sg else m
        if val < lo: r, fl = lo, NV
        elif val > hi: r, fl = hi, NV
        else: r, fl = val, (NX if cls else 0)
    r &= (1 << bits) - 1
    if bits == 32 and r >> 31: r |= 0xffffffff00000000     # sign-extend W results
    return r, fl

def from_int(fmt, x, rm, bits, signed):
    x &= (1 << bits) - 1
    if signed and x >> (bits - 1): x -= 1 << bits
    return from_value(fmt, Fr(x), rm, 0)

def convert(src, dst, a, rm):
    r = _nan_in(src, a)
    if r: return dst.qnan, r[1]
    k, sg, v = src.unpack(a)
    if k == 'inf': return _zero(dst, sg) | dst.inf, 0
    if k == 'zero': return _zero(dst, sg), 0
    return round_to(dst, sg, Exact(v), rm)
