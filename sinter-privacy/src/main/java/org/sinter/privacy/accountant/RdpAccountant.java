package org.sinter.privacy.accountant;

import java.util.ArrayList;
import java.util.List;

/**
 * The Rényi-DP accountant (Opacus' {@code RDPAccountant}): records the steps of the
 * Poisson-subsampled Gaussian mechanism, composes their RDP by adding it order by order, and
 * converts to (ε, δ). Steps with the same σ and q are merged into one entry.
 */
public final class RdpAccountant {
    /** 1 + x/10 for x in 1..99, then 12..63: the orders TF Privacy and Opacus use by default. */
    public static final double[] DEFAULT_ORDERS = defaultOrders();

    private record Entry(double noiseMultiplier, double sampleRate, long steps) {}

    private final List<Entry> history = new ArrayList<>();
    private final double[] orders;

    public RdpAccountant() {
        this(DEFAULT_ORDERS);
    }

    public RdpAccountant(double[] orders) {
        if (orders.length == 0) throw new IllegalArgumentException("RdpAccountant: need at least one Rényi order");
        for (double a : orders) {
            if (!(a > 1) || Double.isInfinite(a)) throw new IllegalArgumentException("RdpAccountant: Rényi orders must be finite and > 1, got " + a);
        }
        this.orders = orders.clone();
    }

    private static double[] defaultOrders() {
        double[] o = new double[99 + 52];
        int n = 0;
        for (int x = 1; x < 100; x++) o[n++] = 1 + x / 10.0;
        for (int a = 12; a < 64; a++) o[n++] = a;
        return o;
    }

    /** Records one step with noise multiplier σ and sampling rate q. */
    public synchronized void step(double noiseMultiplier, double sampleRate) {
        step(noiseMultiplier, sampleRate, 1);
    }

    /** Records {@code steps} steps with the same σ and q. */
    public synchronized void step(double noiseMultiplier, double sampleRate, long steps) {
        SampledGaussianRdp.rdp(sampleRate, noiseMultiplier, steps, new double[0]); // argument checks
        if (!history.isEmpty()) {
            Entry last = history.getLast();
            if (last.noiseMultiplier == noiseMultiplier && last.sampleRate == sampleRate) {
                history.set(history.size() - 1, new Entry(noiseMultiplier, sampleRate, last.steps + steps));
                return;
            }
        }
        history.add(new Entry(noiseMultiplier, sampleRate, steps));
    }

    /** Steps recorded so far. */
    public synchronized long steps() {
        return history.stream().mapToLong(Entry::steps).sum();
    }

    /** The composed RDP curve, one value per order. */
    public synchronized double[] rdp() {
        double[] total = new double[orders.length];
        for (Entry e : history) {
            double[] r = SampledGaussianRdp.rdp(e.sampleRate, e.noiseMultiplier, e.steps, orders);
            for (int i = 0; i < total.length; i++) total[i] += r[i];
        }
        return total;
    }

    public double[] orders() {
        return orders.clone();
    }

    /** ε spent for δ with the {@link RdpConversion#IMPROVED} conversion (Opacus' default). */
    public double getEpsilon(double delta) {
        return getPrivacySpent(delta, RdpConversion.IMPROVED).epsilon();
    }

    public PrivacySpent getPrivacySpent(double delta, RdpConversion conversion) {
        return conversion.convert(orders, rdp(), delta);
    }

    /** ε of {@code steps} steps at (σ, q) for δ, without an accountant's history. */
    public static PrivacySpent epsilon(double noiseMultiplier, double sampleRate, long steps, double delta, RdpConversion conversion) {
        return conversion.convert(DEFAULT_ORDERS, SampledGaussianRdp.rdp(sampleRate, noiseMultiplier, steps, DEFAULT_ORDERS), delta);
    }
}
