package org.sinter.kernels;

import org.sinter.kernels.UnaryKernels.UnaryFn;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deterministic transcendentals: accuracy against fdlibm ({@link StrictMath}), an element's
 * bits independent of where it falls (vector body, padded tail, a lone broadcast value), and the
 * same bits in the interpreter, in C2-compiled code and with narrower vectors (forked JVMs).
 */
class TranscendentalsTest {
    /** The kernels whose results must not depend on JIT tier, position or vector width. */
    static final UnaryFn[] DETERMINISTIC = {UnaryFn.EXP, UnaryFn.LOG, UnaryFn.LOG1P, UnaryFn.EXPM1, UnaryFn.TANH,
            UnaryFn.SIN, UnaryFn.COS, UnaryFn.TAN, UnaryFn.ERF, UnaryFn.GELU, UnaryFn.GELU_TANH, UnaryFn.SIGMOID,
            UnaryFn.SILU, UnaryFn.SOFTPLUS, UnaryFn.ASINH, UnaryFn.ACOSH, UnaryFn.ATANH, UnaryFn.LOG2, UnaryFn.LOG10, UnaryFn.SINH,
            UnaryFn.COSH, UnaryFn.ATAN, UnaryFn.ASIN, UnaryFn.ACOS};

    static final float[] SPECIAL_F = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-40f, -1e-40f, 1e-30f, -1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE,
            1f, -1f, 0.5f, 2f, 1e-8f, -1e-8f, 88.72283f, 88.72284f, 88.7229f, -87.3f, -103.97f, -104f, -17.9f, -18.1f,
            9.09f, 9.11f, -9.11f, 1.5707964f, 3.1415927f, 4.712389f, 65535.9f, 65536f, 65537f, 1e10f, -1e30f, 0.99999994f, -0.99999994f};
    static final double[] SPECIAL_D = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, 1e-310, -1e-310, 1e-300, Double.MAX_VALUE, -Double.MAX_VALUE,
            1.0, -1.0, 0.5, 2.0, 1e-17, -1e-17, 709.78, 709.7828, 710.0, -745.0, -745.2, -38.1, -37.9, 19.0, 19.2, -19.2,
            Math.PI / 2, Math.PI, 1e8, 0x1p28, 0x1p28 + 2, 1e300, -1e300, 0.9999999999999999, -0.9999999999999999};

    // ------------------------------------------------------------ accuracy against fdlibm

    /** A function, its float32 and float64 forms, a fdlibm reference and where to sample it. */
    record Case(String name, FloatFn f, DoubleFn d, DoubleUnaryOperator ref, double lo, double hi, double ulpF, double ulpD) {}

    interface FloatFn {
        float apply(float x);
    }

    interface DoubleFn {
        double apply(double x);
    }

    static final List<Case> CASES = List.of(
            new Case("exp", Transcendentals::exp, Transcendentals::exp, StrictMath::exp, -104, 89, 2, 4),
            new Case("log", Transcendentals::log, Transcendentals::log, StrictMath::log, 1e-3, 1e3, 1, 2),
            new Case("log1p", Transcendentals::log1p, Transcendentals::log1p, StrictMath::log1p, -0.999, 100, 2, 2),
            new Case("expm1", Transcendentals::expm1, Transcendentals::expm1, StrictMath::expm1, -20, 88, 2, 2),
            new Case("tanh", Transcendentals::tanh, Transcendentals::tanh, StrictMath::tanh, -10, 10, 2, 3),
            new Case("sin", Transcendentals::sin, Transcendentals::sin, StrictMath::sin, -100, 100, 2, 2),
            new Case("cos", Transcendentals::cos, Transcendentals::cos, StrictMath::cos, -100, 100, 2, 2),
            new Case("tan", Transcendentals::tan, Transcendentals::tan, StrictMath::tan, -100, 100, 3, 3));

    /** |got - want| in units of the last place of want, at got's precision. */
    static double ulps(double got, double want, boolean single) {
        if (Double.isNaN(want)) return Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        if (got == want) return 0;
        if (Double.isInfinite(want) || Double.isInfinite(got)) return Double.POSITIVE_INFINITY;
        double ulp = single ? Math.ulp((float) want) : Math.ulp(want);
        return Math.abs(got - want) / ulp;
    }

    static float[] samplesF(Case c, Random rnd) {
        List<Float> v = new ArrayList<>();
        for (float s : SPECIAL_F) v.add(s);
        for (int i = 0; i < 200_000; i++) v.add((float) (c.lo() + (c.hi() - c.lo()) * rnd.nextDouble()));
        for (int i = 0; i < 20_000; i++) v.add((float) (Math.signum(rnd.nextGaussian()) * Math.pow(10, -30 + 31 * rnd.nextDouble())));
        for (int i = 0; i < 20_000; i++) v.add((float) (rnd.nextDouble() * 131072 - 65536)); // the whole fast trig range
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) a[i] = v.get(i);
        return a;
    }

    @Test
    void float32WithinStatedUlpsOfFdlibm() {
        Random rnd = new Random(1);
        for (Case c : CASES) {
            double worst = 0;
            float worstAt = 0;
            for (float x : samplesF(c, rnd)) {
                double want = (float) c.ref().applyAsDouble(x);
                double e = ulps(c.f().apply(x), want, true);
                if (e > worst) {
                    worst = e;
                    worstAt = x;
                }
            }
            float at = worstAt;
            double w = worst;
            assertTrue(worst <= c.ulpF(), () -> c.name() + " float32: " + w + " ulp at " + at + " (bound " + c.ulpF() + ")");
        }
    }

    @Test
    void float64WithinStatedUlpsOfFdlibm() {
        Random rnd = new Random(2);
        for (Case c : CASES) {
            double worst = 0, worstAt = 0;
            List<Double> xs = new ArrayList<>();
            for (double s : SPECIAL_D) xs.add(s);
            for (int i = 0; i < 200_000; i++) xs.add(c.lo() + (c.hi() - c.lo()) * rnd.nextDouble());
            for (int i = 0; i < 20_000; i++) xs.add(Math.signum(rnd.nextGaussian()) * Math.pow(10, -300 + 301 * rnd.nextDouble()));
            for (int i = 0; i < 20_000; i++) xs.add((rnd.nextDouble() * 2 - 1) * 0x1p28);
            if (c.name().equals("exp")) for (int i = 0; i < 20_000; i++) xs.add(-745 + 1455 * rnd.nextDouble());
            for (double x : xs) {
                // fdlibm is within 1 ulp itself, so the bound includes its error.
                double e = ulps(c.d().apply(x), c.ref().applyAsDouble(x), false);
                if (e > worst) {
                    worst = e;
                    worstAt = x;
                }
            }
            double w = worst, at = worstAt;
            assertTrue(worst <= c.ulpD() + 1, () -> c.name() + " float64: " + w + " ulp at " + at + " (bound " + c.ulpD() + " + 1)");
        }
    }

    @Test
    void specialValues() {
        assertEquals(Float.NEGATIVE_INFINITY, Transcendentals.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, Transcendentals.log(-0f));
        assertTrue(Float.isNaN(Transcendentals.log(-1f)));
        assertEquals(Float.POSITIVE_INFINITY, Transcendentals.log(Float.POSITIVE_INFINITY));
        assertEquals(Math.log(Float.MIN_VALUE), Transcendentals.log(Float.MIN_VALUE), 1e-5);
        assertEquals(Float.NEGATIVE_INFINITY, Transcendentals.log1p(-1f));
        assertTrue(Float.isNaN(Transcendentals.log1p(-2f)));
        assertEquals(-1f, Transcendentals.expm1(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, Transcendentals.expm1(100f));
        assertEquals(1f, Transcendentals.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, Transcendentals.tanh(-1e30f));
        assertEquals(0f, Transcendentals.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.MIN_VALUE, Transcendentals.exp(-103.9720840454f), Float.MIN_VALUE); // a subnormal result
        for (float z : new float[] {0f, -0f}) { // odd functions keep the sign of zero
            int bits = Float.floatToRawIntBits(z);
            assertEquals(bits, Float.floatToRawIntBits(Transcendentals.log1p(z)));
            assertEquals(bits, Float.floatToRawIntBits(Transcendentals.expm1(z)));
            assertEquals(bits, Float.floatToRawIntBits(Transcendentals.tanh(z)));
            assertEquals(bits, Float.floatToRawIntBits(Transcendentals.sin(z)));
            assertEquals(bits, Float.floatToRawIntBits(Transcendentals.tan(z)));
            assertEquals(1f, Transcendentals.cos(z));
        }
        for (UnaryFn fn : new UnaryFn[] {UnaryFn.SIN, UnaryFn.COS, UnaryFn.TAN}) {
            float[] y = new float[3];
            UnaryKernels.f32(fn, 0, 0, new float[] {Float.POSITIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY}, 0, 1, y, 0, 3);
            for (float v : y) assertTrue(Float.isNaN(v), fn + " of a non-finite value is NaN");
        }
        assertEquals((float) StrictMath.sin((double) 1e30f), Transcendentals.sin(1e30f), "huge arguments reduce exactly");
        assertEquals(StrictMath.cos(1e300), Transcendentals.cos(1e300));
    }

    // ------------------------------------------------------------ one value, one result

    /** The kernel over many lengths and offsets gives every element the bits of a lone evaluation. */
    @Test
    void elementBitsDoNotDependOnPosition() {
        Random rnd = new Random(5);
        float[] xf = inputsF(rnd, 300);
        double[] xd = inputsD(rnd, 300);
        for (UnaryFn fn : DETERMINISTIC) {
            float[] lone = new float[xf.length], y = new float[xf.length];
            double[] loneD = new double[xd.length], yd = new double[xd.length];
            for (int i = 0; i < xf.length; i++) UnaryKernels.f32(fn, 1, 20, xf, i, 0, lone, i, 1); // a broadcast: one value
            for (int i = 0; i < xd.length; i++) UnaryKernels.f64(fn, 1, 20, xd, i, 0, loneD, i, 1);
            for (int off = 0; off < 20; off++) {
                int n = xf.length - off - (off * 7) % 13;
                UnaryKernels.f32(fn, 1, 20, xf, off, 1, y, off, n);
                for (int i = off; i < off + n; i++) assertSameBits(lone[i], y[i], fn + " f32 x=" + xf[i] + " at " + (i - off) + " of " + n);
                UnaryKernels.f64(fn, 1, 20, xd, off, 1, yd, off, n);
                for (int i = off; i < off + n; i++) assertSameBits(loneD[i], yd[i], fn + " f64 x=" + xd[i] + " at " + (i - off) + " of " + n);
            }
        }
    }

    @Test
    void scalarFormsAreTheVectorLanes() {
        Random rnd = new Random(6);
        float[] x = inputsF(rnd, 4000);
        double[] xd = inputsD(rnd, 4000);
        float[] y = new float[x.length];
        double[] yd = new double[xd.length];
        record Pair(UnaryFn fn, FloatFn f, DoubleFn d) {}
        for (Pair p : List.of(new Pair(UnaryFn.EXP, Transcendentals::exp, Transcendentals::exp), new Pair(UnaryFn.LOG, Transcendentals::log, Transcendentals::log),
                new Pair(UnaryFn.LOG1P, Transcendentals::log1p, Transcendentals::log1p), new Pair(UnaryFn.EXPM1, Transcendentals::expm1, Transcendentals::expm1),
                new Pair(UnaryFn.TANH, Transcendentals::tanh, Transcendentals::tanh), new Pair(UnaryFn.SIN, Transcendentals::sin, Transcendentals::sin),
                new Pair(UnaryFn.COS, Transcendentals::cos, Transcendentals::cos), new Pair(UnaryFn.TAN, Transcendentals::tan, Transcendentals::tan),
                new Pair(UnaryFn.ERF, Erf::erf, Erf::erf))) {
            UnaryKernels.f32(p.fn(), 0, 0, x, 0, 1, y, 0, x.length);
            UnaryKernels.f64(p.fn(), 0, 0, xd, 0, 1, yd, 0, xd.length);
            for (int i = 0; i < x.length; i++) assertSameBits(p.f().apply(x[i]), y[i], p.fn() + " f32 x=" + x[i]);
            for (int i = 0; i < xd.length; i++) assertSameBits(p.d().apply(xd[i]), yd[i], p.fn() + " f64 x=" + xd[i]);
        }
    }

    // ------------------------------------------------------------ interpreter, C2, narrower vectors

    /**
     * Every deterministic kernel's output bits, hashed: computed here after warming the loops up
     * until C2 compiled them, and in forked JVMs that only interpret (-Xint) or use 128-bit vectors.
     */
    @Test
    void sameBitsInInterpreterCompiledCodeAndNarrowVectors(@TempDir Path dir) throws Exception {
        for (int warm = 0; warm < 300; warm++) Fingerprint.compute(1000); // C2 compiles the loops
        String hot = Fingerprint.compute(1000);
        assertEquals(hot, fork(dir, "-Xint"), "interpreter vs C2");
        assertEquals(hot, fork(dir, "-XX:MaxVectorSize=16"), "128-bit vectors vs the preferred shape");
    }

    private static String fork(Path dir, String flag) throws IOException, InterruptedException {
        Path out = dir.resolve("fingerprint" + flag.hashCode() + ".txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, flag, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Fingerprint.class.getName(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> "forked JVM " + flag + " failed:\n" + log);
        return Files.readString(out);
    }

    /** The fingerprint computation, also the main class of the forked JVMs. */
    static final class Fingerprint {
        static String compute(int n) {
            Random rnd = new Random(7);
            float[] x = inputsF(rnd, n), y = new float[n];
            double[] xd = inputsD(rnd, n), yd = new double[n];
            long h = 1;
            for (UnaryFn fn : DETERMINISTIC) {
                UnaryKernels.f32(fn, 1, 20, x, 0, 1, y, 0, n);
                UnaryKernels.f64(fn, 1, 20, xd, 0, 1, yd, 0, n);
                for (int i = 0; i < n; i++) h = h * 31 + Float.floatToRawIntBits(y[i]) * 17L + Double.doubleToRawLongBits(yd[i]);
            }
            float[] s = new float[n];
            SoftmaxKernels.softmaxF32(x, 0, 10, n / 10, 1, s, 0);
            for (float v : s) h = h * 31 + Float.floatToRawIntBits(v);
            return Long.toHexString(h);
        }

        public static void main(String[] args) throws IOException {
            Files.writeString(Path.of(args[0]), compute(1000));
        }
    }

    // ------------------------------------------------------------ inputs

    static float[] inputsF(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i < SPECIAL_F.length ? SPECIAL_F[i] : switch (i % 4) {
                case 0 -> (float) (rnd.nextGaussian() * 3);
                case 1 -> (float) (rnd.nextDouble() * 200 - 100);
                case 2 -> (float) (rnd.nextDouble() * 2 - 1);
                default -> (float) Math.pow(10, rnd.nextDouble() * 10 - 5);
            };
        }
        return a;
    }

    static double[] inputsD(Random rnd, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = i < SPECIAL_D.length ? SPECIAL_D[i] : switch (i % 4) {
                case 0 -> rnd.nextGaussian() * 3;
                case 1 -> rnd.nextDouble() * 200 - 100;
                case 2 -> rnd.nextDouble() * 2 - 1;
                default -> Math.pow(10, rnd.nextDouble() * 10 - 5);
            };
        }
        return a;
    }

    static void assertSameBits(float want, float got, String what) {
        if (Float.isNaN(want) && Float.isNaN(got)) return;
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), () -> what + ": " + got + " vs " + want);
    }

    static void assertSameBits(double want, double got, String what) {
        if (Double.isNaN(want) && Double.isNaN(got)) return;
        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), () -> what + ": " + got + " vs " + want);
    }
}
