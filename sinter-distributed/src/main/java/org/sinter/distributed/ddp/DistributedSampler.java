package org.sinter.distributed.ddp;

import java.util.Arrays;
import org.sinter.Generator;

/**
 * The indices of a dataset that one rank reads in an epoch, as PyTorch's
 * {@code DistributedSampler}: an optional shuffle seeded by {@code seed + epoch} (the same on
 * every rank), padded by repeating its start so every rank gets {@code ceil(n / replicas)} indices
 * (or cut to {@code floor(n / replicas)} with {@code dropLast}), then every {@code replicas}-th
 * index starting at {@code rank}. The shuffle uses Sinter's generator, so its order differs from
 * PyTorch's; the partition rule is the same.
 */
public final class DistributedSampler {
    private final int length;
    private final int replicas;
    private final int rank;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private int epoch;

    public DistributedSampler(int length, int replicas, int rank, boolean shuffle, long seed, boolean dropLast) {
        if (length < 0) throw new IllegalArgumentException("DistributedSampler: dataset length must be >= 0, got " + length);
        if (replicas < 1) throw new IllegalArgumentException("DistributedSampler: numReplicas must be >= 1, got " + replicas);
        if (rank < 0 || rank >= replicas) {
            throw new IllegalArgumentException("DistributedSampler: invalid rank " + rank + ", rank should be in the interval [0, " + (replicas - 1) + "]");
        }
        this.length = length;
        this.replicas = replicas;
        this.rank = rank;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    /** Shuffled, no drop, seed 0: PyTorch's defaults. */
    public DistributedSampler(int length, int replicas, int rank) {
        this(length, replicas, rank, true, 0, false);
    }

    /** Makes the next {@link #indices()} use this epoch's shuffle; call it at the start of every epoch. */
    public void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    /** Indices per rank this epoch. */
    public int numSamples() {
        return dropLast && length % replicas != 0 ? length / replicas : (length + replicas - 1) / replicas;
    }

    public int[] indices() {
        int[] order = new int[length];
        if (shuffle) {
            int[] perm = new Generator(seed + epoch).randperm(length).toIntArray();
            System.arraycopy(perm, 0, order, 0, length);
        } else {
            for (int i = 0; i < length; i++) order[i] = i;
        }
        int total = numSamples() * replicas;
        int[] padded = Arrays.copyOf(order, total);
        for (int i = length; i < total; i++) padded[i] = order[(i - length) % Math.max(1, length)];
        int[] mine = new int[numSamples()];
        for (int k = 0; k < mine.length; k++) mine[k] = padded[rank + k * replicas];
        return mine;
    }
}
