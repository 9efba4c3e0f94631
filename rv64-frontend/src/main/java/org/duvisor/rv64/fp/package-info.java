/**
 * Exact IEEE 754-2008 binary32/binary64 arithmetic as the RISC-V F and D extensions define it:
 * all five rounding modes, the {@code fflags} exceptions (NX, UF with tininess detected after
 * rounding, OF, DZ, NV), canonical NaN results, and the RISC-V conversion saturation rules.
 *
 * <h2>API shape</h2>
 * Pure static methods on raw bit patterns ({@code int} for binary32, {@code long} for binary64) in
 * {@link org.duvisor.rv64.fp.Binary32} and {@link org.duvisor.rv64.fp.Binary64}; the only state is
 * the caller-supplied {@link org.duvisor.rv64.fp.FloatFlags} accumulator, OR-ed into and never
 * cleared. Nothing allocates, so the methods can be called from an interpreter or from generated
 * bytecode ({@code invokestatic}). Rounding modes are {@link org.duvisor.rv64.fp.RoundingMode}
 * constants; callers resolve {@code DYN}. {@code fmsub/fnmsub/fnmadd} are {@code fma} with
 * operand signs flipped by the caller ({@code negate}).
 *
 * <h2>Technique</h2>
 * <ol>
 * <li><b>binary64 fast paths.</b> The JVM's {@code double} arithmetic is correctly rounded to
 * nearest-even. {@code add/sub} run the result through TwoSum, {@code mul} gets its exact error
 * from {@code Math.fma(x, y, -p)}, {@code div} its exact remainder {@code Math.fma(-q, y, x)},
 * {@code sqrt} its exact residual {@code Math.fma(-q, q, x)}. The error tells exactness (NX) and
 * the side on which the exact result lies; for RTZ/RDN/RUP the nearest-even result is moved one
 * step ({@code FpCore.step64}: encoding plus or minus one), and for RMM it is moved away from zero
 * when the error is exactly half an ulp with the sign of the result (ties cannot occur for div and
 * sqrt). The fast paths are taken only where these transformations are provably exact and no
 * neighbour of the result leaves the normal range: result biased exponent in [56, 2045] for mul
 * and div (plus {@code E(q) + E(y) >= 1076} for div, which keeps {@code ulp(q)*ulp(y)}
 * representable), below the top binade for add (whose tiny results are always exact), radicand
 * at least 2^-959 for sqrt (smaller ones are scaled by 2^256 and the root by 2^-128, both exact).</li>
 * <li><b>binary64 fma</b> has three tiers. (a) RNE once NX has accrued in the accumulator (the
 * steady state of a floating-point loop, since the accumulator is the guest's {@code fflags}): the
 * hardware {@code Math.fma} result is returned as is when its exponent field is in [2, 2046]: it
 * is then the RNE result and the only flag it could need is NX (the same idea as QEMU's hardfloat).
 * (b) Any mode, operands with {@code E(a) + E(b)} in [1076, 3065] and {@code E(c) <= 2043}: the
 * ErrFma transformation of Boldo and Muller gives the exact error of the hardware FMA as a sum of
 * two doubles, hence NX, the direction of the error and RMM ties; within that range every
 * intermediate value is a multiple of 2^-1074 below 2^1023, so the bounded exponent range changes
 * nothing and the result cannot be tiny when inexact (proof in {@code Binary64.fmaExact}).
 * (c) Everything else (specials, far-out exponents, exact zeros in RDN) uses the integer path
 * below.</li>
 * <li><b>binary64 slow paths</b> (specials, subnormal or near-overflow results, fma outside the
 * ErrFma range) use integer arithmetic: operands are unpacked to 53-bit significands, the exact
 * sum, 106-bit product (via {@code Math.unsignedMultiplyHigh}), 128-bit product-plus-addend, or a
 * 63-bit restoring-division quotient is formed with the discarded bits jammed into a sticky bit,
 * and {@code FpCore.roundPack} rounds it once, deciding tininess by a second rounding with an
 * unbounded exponent. Jamming is safe because it only ever affects bits far below the rounding
 * position; massive cancellation only happens with alignment shifts of at most one bit, which are
 * exact.</li>
 * <li><b>binary32</b> computes in binary64 and rounds once: products are exact in binary64; sums,
 * quotients, roots and {@code a*b+c} (with an exact product) are rounded to nearest in binary64, the
 * same error-free transformations give the sign of the error, and the binary64 value is replaced by
 * its odd neighbour when inexact ("round to odd"). Since 53 >= 24 + 2, rounding that value to
 * binary32 in any mode equals rounding the exact result, including tininess and inexactness; the
 * final rounding ({@code fcvt.s.d} as well) uses a cast plus a one-step adjustment in the normal
 * range and {@code roundPack} elsewhere. In RNE with NX accrued, add/sub/mul/div/sqrt/fma return the
 * hardware binary32 result directly when its exponent field is in [2, 254], as binary64 fma does.</li>
 * <li><b>Code shape.</b> Translated code calls these methods in its hottest loops, so each public
 * arithmetic method holds only its common case (well under C2's {@code FreqInlineSize} of 325
 * bytecodes, and a few hundred bytes of machine code when compiled on its own, below
 * {@code InlineSmallCode}); specials and other rare cases live in separate methods that are
 * called only when needed, so that C2 inlines the common case into large generated methods and
 * turns the rare calls into uncommon traps or plain calls.</li>
 * <li><b>Conversions</b> to and from integers are integer-only (shift, round, range check after
 * rounding; NV without NX on saturation).</li>
 * </ol>
 *
 * <p>The test tree checks everything against an independent exact-rational reference model.
 */
package org.duvisor.rv64.fp;
