package org.sinter.privacy.federated;

/**
 * Simulated unreliability of a client, decided per (seed, round, client) by a hash so that a run
 * is reproducible and the same clients fail in a plain and a secure run of the same seed:
 * with probability {@code dropout} the client vanishes in the round (a plain round: it never
 * sends its update; a secure round: it drops <em>after</em> sharing its keys, so its pairwise
 * masks are already in the others' inputs and must be removed); with probability
 * {@code straggler} it answers the training request only after {@code stragglerDelayMillis},
 * which the server's timeout turns into a dropout.
 */
public record Faults(double dropout, double straggler, long stragglerDelayMillis, long seed) {
    public static final Faults NONE = new Faults(0, 0, 0, 0);

    public Faults {
        if (!(dropout >= 0 && dropout <= 1) || !(straggler >= 0 && straggler <= 1) || stragglerDelayMillis < 0) {
            throw new IllegalArgumentException("Faults: dropout and straggler are probabilities, the delay >= 0; got " + dropout + ", " + straggler + ", " + stragglerDelayMillis);
        }
    }

    public boolean drops(long round, int client) {
        return uniform(round, client, 0x9e3779b97f4a7c15L) < dropout;
    }

    public boolean straggles(long round, int client) {
        return uniform(round, client, 0xc2b2ae3d27d4eb4fL) < straggler;
    }

    private double uniform(long round, int client, long salt) {
        long h = seed * 0x9e3779b97f4a7c15L + round * 0xbf58476d1ce4e5b9L + client * 0x94d049bb133111ebL + salt;
        h ^= h >>> 31;
        h *= 0x7fb5d329728ea185L;
        h ^= h >>> 27;
        h *= 0x81dadef4bc2f4a4dL;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }
}
