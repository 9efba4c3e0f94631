package org.duvisor.bench.fp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * ns per operation of the exact softfloat-style operations of {@code org.duvisor.rv64.fp} next to the
 * raw Java operation they emulate ({@code a + b}, {@code a * b}, {@code a / b}, {@code Math.fma}).
 *
 * <p>Every benchmark walks the same {@value #N} pre-generated normal-range operands (random sign,
 * exponent in [-8, 8), random significand: almost every result is inexact) and hands each result to
 * the (compiler) blackhole, so all variants share the same loop and consume overhead. Variants:
 * <ul>
 * <li>{@code *Raw}: the plain Java operation on the same bit patterns;
 * <li>{@code *Rne} / {@code *Rdn}: the emulated operation in that rounding mode with one
 * {@code FloatFlags} accumulator, as translated guest code calls it (after the first inexact result,
 * NX stays set, like a guest {@code fflags} in a floating-point loop);
 * <li>{@code *RneFresh}: RNE with the accumulator cleared before every operation, so the exactness
 * test cannot be skipped;
 * <li>{@code b64FmaChain*}: {@code acc = fma(a[i], b[i], acc)}, the latency-bound dot-product
 * shape of a dense matrix kernel.
 * </ul>
 *
 * <p>The operations are reached through constant method handles (resolved by name at class
 * initialisation), which C2 inlines like direct calls: the {@code jmh-benchmarks} module does not
 * depend on {@code rv64-frontend}, so its classes must be on the class path at run time:
 * <pre>
 * java -cp jmh-benchmarks/target/benchmarks.jar:rv64-frontend/target/classes \
 *     org.openjdk.jmh.Main org.duvisor.bench.fp.FloatingPointBench
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FloatingPointBench {
    static final int N = 1024;
    private static final int RNE = 0;
    private static final int RDN = 2;

    private static final String PKG = "org.duvisor.rv64.fp.";
    private static final Class<?> FLAGS_CLASS = load("FloatFlags");
    private static final MethodHandle NEW_FLAGS;
    private static final MethodHandle SET_BITS;
    private static final MethodHandle ADD64;
    private static final MethodHandle MUL64;
    private static final MethodHandle DIV64;
    private static final MethodHandle FMA64;
    private static final MethodHandle ADD32;
    private static final MethodHandle FMA32;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> b64 = load("Binary64");
            Class<?> b32 = load("Binary32");
            MethodType op2l = MethodType.methodType(long.class, long.class, long.class, int.class, FLAGS_CLASS);
            MethodType op3l = MethodType.methodType(long.class, long.class, long.class, long.class, int.class, FLAGS_CLASS);
            MethodType op2i = MethodType.methodType(int.class, int.class, int.class, int.class, FLAGS_CLASS);
            MethodType op3i = MethodType.methodType(int.class, int.class, int.class, int.class, int.class, FLAGS_CLASS);
            ADD64 = erase(l.findStatic(b64, "add", op2l));
            MUL64 = erase(l.findStatic(b64, "mul", op2l));
            DIV64 = erase(l.findStatic(b64, "div", op2l));
            FMA64 = erase(l.findStatic(b64, "fma", op3l));
            ADD32 = erase(l.findStatic(b32, "add", op2i));
            FMA32 = erase(l.findStatic(b32, "fma", op3i));
            NEW_FLAGS = erase(l.findConstructor(FLAGS_CLASS, MethodType.methodType(void.class)));
            SET_BITS = erase(l.findSetter(FLAGS_CLASS, "bits", int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(PKG + name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("rv64-frontend classes are not on the class path", e);
        }
    }

    /** The same handle with the FloatFlags parameter (or return) typed as Object. */
    private static MethodHandle erase(MethodHandle h) {
        MethodType t = h.type();
        for (int i = 0; i < t.parameterCount(); i++) {
            if (t.parameterType(i) == FLAGS_CLASS) {
                t = t.changeParameterType(i, Object.class);
            }
        }
        if (t.returnType() == FLAGS_CLASS) {
            t = t.changeReturnType(Object.class);
        }
        return h.asType(t);
    }

    long[] a = new long[N];
    long[] b = new long[N];
    long[] c = new long[N];
    int[] fa = new int[N];
    int[] fb = new int[N];
    int[] fc = new int[N];
    Object flags;

    @Setup
    public void setup() throws Throwable {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < N; i++) {
            a[i] = Double.doubleToRawLongBits(normal(r));
            b[i] = Double.doubleToRawLongBits(normal(r));
            c[i] = Double.doubleToRawLongBits(normal(r));
            fa[i] = Float.floatToRawIntBits((float) normal(r));
            fb[i] = Float.floatToRawIntBits((float) normal(r));
            fc[i] = Float.floatToRawIntBits((float) normal(r));
        }
        flags = (Object) NEW_FLAGS.invokeExact();
    }

    private static double normal(SplittableRandom r) {
        double m = 1 + r.nextDouble();
        return Math.scalb(r.nextBoolean() ? -m : m, r.nextInt(-8, 8));
    }

    private static double d(long x) {
        return Double.longBitsToDouble(x);
    }

    private static float f(int x) {
        return Float.intBitsToFloat(x);
    }

    // ------------------------------------------------------------------ binary64 add

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64AddRaw(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Double.doubleToRawLongBits(d(a[i]) + d(b[i])));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64AddRne(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((long) ADD64.invokeExact(a[i], b[i], RNE, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64AddRdn(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((long) ADD64.invokeExact(a[i], b[i], RDN, flags));
        }
    }

    // ------------------------------------------------------------------ binary64 mul

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64MulRaw(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Double.doubleToRawLongBits(d(a[i]) * d(b[i])));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64MulRne(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((long) MUL64.invokeExact(a[i], b[i], RNE, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64MulRdn(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((long) MUL64.invokeExact(a[i], b[i], RDN, flags));
        }
    }

    // ------------------------------------------------------------------ binary64 div

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64DivRaw(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Double.doubleToRawLongBits(d(a[i]) / d(b[i])));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64DivRne(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((long) DIV64.invokeExact(a[i], b[i], RNE, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64DivRdn(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((long) DIV64.invokeExact(a[i], b[i], RDN, flags));
        }
    }

    // ------------------------------------------------------------------ binary64 fma

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64FmaRaw(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Double.doubleToRawLongBits(Math.fma(d(a[i]), d(b[i]), d(c[i]))));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64FmaRne(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((long) FMA64.invokeExact(a[i], b[i], c[i], RNE, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64FmaRneFresh(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            SET_BITS.invokeExact(flags, 0);
            bh.consume((long) FMA64.invokeExact(a[i], b[i], c[i], RNE, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b64FmaRdn(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((long) FMA64.invokeExact(a[i], b[i], c[i], RDN, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long b64FmaChainRaw() {
        double acc = 0;
        for (int i = 0; i < N; i++) {
            acc = Math.fma(d(a[i]), d(b[i]), acc);
        }
        return Double.doubleToRawLongBits(acc);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long b64FmaChainRne() throws Throwable {
        long acc = 0;
        for (int i = 0; i < N; i++) {
            acc = (long) FMA64.invokeExact(a[i], b[i], acc, RNE, flags);
        }
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long b64FmaChainRdn() throws Throwable {
        long acc = 0;
        for (int i = 0; i < N; i++) {
            acc = (long) FMA64.invokeExact(a[i], b[i], acc, RDN, flags);
        }
        return acc;
    }

    // ------------------------------------------------------------------ binary32 add / fma

    @Benchmark
    @OperationsPerInvocation(N)
    public void b32AddRaw(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Float.floatToRawIntBits(f(fa[i]) + f(fb[i])));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b32AddRne(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((int) ADD32.invokeExact(fa[i], fb[i], RNE, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b32AddRdn(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((int) ADD32.invokeExact(fa[i], fb[i], RDN, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b32FmaRaw(Blackhole bh) {
        for (int i = 0; i < N; i++) {
            bh.consume(Float.floatToRawIntBits(Math.fma(f(fa[i]), f(fb[i]), f(fc[i]))));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b32FmaRne(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((int) FMA32.invokeExact(fa[i], fb[i], fc[i], RNE, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b32FmaRneFresh(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            SET_BITS.invokeExact(flags, 0);
            bh.consume((int) FMA32.invokeExact(fa[i], fb[i], fc[i], RNE, flags));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void b32FmaRdn(Blackhole bh) throws Throwable {
        for (int i = 0; i < N; i++) {
            bh.consume((int) FMA32.invokeExact(fa[i], fb[i], fc[i], RDN, flags));
        }
    }
}
