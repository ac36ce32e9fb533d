package org.sinter.privacy.accountant;

/**
 * Conversions of an RDP curve (ε(α) over a list of orders) to (ε, δ)-DP; each takes the best
 * order.
 */
public enum RdpConversion {
    /**
     * Mironov 2017, Proposition 3: {@code ε = ε(α) + log(1/δ)/(α-1)}. What TF Privacy's
     * {@code compute_dp_sgd_privacy} and Opacus before 1.0 report.
     */
    CLASSIC {
        @Override
        double epsilon(double rdp, double alpha, double delta) {
            return rdp + Math.log(1 / delta) / (alpha - 1);
        }
    },
    /**
     * Balle, Barthe, Gaboardi, Hsu and Sato 2020 ("Hypothesis testing interpretations and Rényi
     * differential privacy", Theorem 21):
     * {@code ε = ε(α) - (log δ + log α)/(α-1) + log((α-1)/α)}, which Opacus uses since 1.0. It is
     * never larger than {@link #CLASSIC}.
     */
    IMPROVED {
        @Override
        double epsilon(double rdp, double alpha, double delta) {
            return rdp - (Math.log(delta) + Math.log(alpha)) / (alpha - 1) + Math.log1p(-1 / alpha);
        }
    };

    abstract double epsilon(double rdp, double alpha, double delta);

    /** The smallest ε over the orders, with the order that gives it. */
    public PrivacySpent convert(double[] orders, double[] rdp, double delta) {
        if (orders.length != rdp.length || orders.length == 0) {
            throw new IllegalArgumentException("RdpConversion: need one RDP value per order, got " + orders.length + " orders and "
                    + rdp.length + " values");
        }
        if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("RdpConversion: δ must lie in (0, 1), got " + delta);
        double best = Double.POSITIVE_INFINITY, bestOrder = Double.NaN;
        for (int i = 0; i < orders.length; i++) {
            double e = epsilon(rdp[i], orders[i], delta);
            if (e < best) {
                best = e;
                bestOrder = orders[i];
            }
        }
        // (ε, δ)-DP for a negative ε implies it for ε = 0: the bound only caps the privacy loss.
        return new PrivacySpent(Math.max(best, 0), delta, bestOrder);
    }
}
