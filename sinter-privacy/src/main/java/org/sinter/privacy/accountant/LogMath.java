package org.sinter.privacy.accountant;

/**
 * Arithmetic on logarithms for the accountant: the terms of the RDP sums under- and overflow a
 * double long before their sums do, so every quantity is kept as its logarithm.
 */
final class LogMath {
    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final double EPS = 1e-17;
    private static final double TINY = 1e-300;

    private LogMath() {}

    /** log(exp(a) + exp(b)) without overflow; -∞ is the log of zero. */
    static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        double hi = Math.max(a, b), lo = Math.min(a, b);
        return hi + Math.log1p(Math.exp(lo - hi));
    }

    /** log(exp(a) - exp(b)) for a ≥ b; fails when the difference would be negative. */
    static double logSub(double a, double b) {
        if (b == Double.NEGATIVE_INFINITY) return a;
        if (a < b) throw new ArithmeticException("logSub: log(exp(" + a + ") - exp(" + b + ")) of a negative number");
        if (a == b) return Double.NEGATIVE_INFINITY;
        return a + Math.log(-Math.expm1(b - a));
    }

    /**
     * log(erfc(x)) to near double precision for every x, including x where erfc(x) underflows
     * (x > 26). erfc(|x|) = Q(½, x²), the regularised upper incomplete gamma function: its
     * series serves small |x| and its continued fraction large |x|, whose leading factor
     * exp(-x²)·x/√π is kept as a logarithm.
     */
    static double logErfc(double x) {
        if (Double.isNaN(x)) return Double.NaN;
        double x2 = x * x;
        if (x2 < 1.5) {
            double erfAbs = lowerGammaHalfSeries(x2);
            return Math.log(x >= 0 ? 1 - erfAbs : 1 + erfAbs);
        }
        double logQ = logUpperGammaHalfFraction(x2, Math.abs(x));
        return x > 0 ? logQ : Math.log(2 - Math.exp(logQ));
    }

    /** P(½, y) = erf(√y) by its power series (converges fast for y below ~1.5). */
    private static double lowerGammaHalfSeries(double y) {
        if (y == 0) return 0;
        double a = 0.5, ap = a, term = 1 / a, sum = term;
        for (int n = 0; n < 500; n++) {
            ap += 1;
            term *= y / ap;
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * EPS) break;
        }
        return sum * Math.exp(-y + a * Math.log(y) - LOG_SQRT_PI);
    }

    /** log Q(½, y) by the modified Lentz continued fraction (y ≥ 1.5), with √y given. */
    private static double logUpperGammaHalfFraction(double y, double sqrtY) {
        double a = 0.5, b = y + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < TINY) d = TINY;
            c = b + an / c;
            if (Math.abs(c) < TINY) c = TINY;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < EPS) break;
        }
        return -y + Math.log(sqrtY) - LOG_SQRT_PI + Math.log(h);
    }
}
