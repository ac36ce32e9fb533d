package org.sinter.privacy.federated;

import java.time.Duration;

/**
 * The server's settings for a federated run.
 *
 * @param clientsPerRound  clients sampled (uniformly, without replacement) each round
 * @param secure           aggregate with secure aggregation instead of receiving each update
 * @param thresholdFraction a secure round needs {@code max(2, floor(fraction · sampled) + 1)} clients
 *                         at every step (Bonawitz et al.'s t; 0.5 makes it a majority)
 * @param scale            the fixed-point scale of {@link FixedPoint}
 * @param timeout          how long the server waits for each step's replies before counting the
 *                         silent clients as dropped
 * @param dpNoiseMultiplier σ &gt; 0 turns on DP on the aggregate (DP-FedAvg, McMahan et al. 2018):
 *                         clients clip their update to {@code clipNorm} and weigh it 1, the server
 *                         adds N(0, σ²·clipNorm²) to the sum and divides by {@code clientsPerRound}
 * @param clipNorm         the L2 bound of a client's update under DP
 * @param seed             client sampling and DP noise
 * @param parallelism      client calls in flight at once (in-process clients train on these threads)
 */
public record FlConfig(int clientsPerRound, boolean secure, double thresholdFraction, double scale, Duration timeout,
                       double dpNoiseMultiplier, double clipNorm, long seed, int parallelism) {
    public FlConfig {
        if (clientsPerRound < 1) throw new IllegalArgumentException("FlConfig: clientsPerRound must be >= 1, got " + clientsPerRound);
        if (secure && clientsPerRound < 2) throw new IllegalArgumentException("FlConfig: secure aggregation needs >= 2 clients per round");
        if (!(thresholdFraction >= 0 && thresholdFraction < 1)) throw new IllegalArgumentException("FlConfig: thresholdFraction must be in [0, 1), got " + thresholdFraction);
        if (dpNoiseMultiplier < 0 || dpNoiseMultiplier > 0 && !(clipNorm > 0)) {
            throw new IllegalArgumentException("FlConfig: DP needs a noise multiplier >= 0 and, when > 0, a positive clipNorm; got " + dpNoiseMultiplier + ", " + clipNorm);
        }
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("FlConfig: timeout must be positive");
        if (parallelism < 1) throw new IllegalArgumentException("FlConfig: parallelism must be >= 1");
    }

    public static FlConfig of(int clientsPerRound) {
        return new FlConfig(clientsPerRound, false, 0.5, FixedPoint.DEFAULT_SCALE, Duration.ofSeconds(120), 0, 0, 0,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public FlConfig withSecure(boolean s) { return new FlConfig(clientsPerRound, s, thresholdFraction, scale, timeout, dpNoiseMultiplier, clipNorm, seed, parallelism); }

    public FlConfig withTimeout(Duration t) { return new FlConfig(clientsPerRound, secure, thresholdFraction, scale, t, dpNoiseMultiplier, clipNorm, seed, parallelism); }

    public FlConfig withSeed(long s) { return new FlConfig(clientsPerRound, secure, thresholdFraction, scale, timeout, dpNoiseMultiplier, clipNorm, s, parallelism); }

    public FlConfig withParallelism(int p) { return new FlConfig(clientsPerRound, secure, thresholdFraction, scale, timeout, dpNoiseMultiplier, clipNorm, seed, p); }

    public FlConfig withDp(double sigma, double clip) { return new FlConfig(clientsPerRound, secure, thresholdFraction, scale, timeout, sigma, clip, seed, parallelism); }

    public boolean dp() {
        return dpNoiseMultiplier > 0;
    }

    /** Bonawitz et al.'s t for a round of {@code sampled} clients. */
    public int threshold(int sampled) {
        return Math.max(2, (int) Math.floor(thresholdFraction * sampled) + 1);
    }
}
