package org.sinter.distributed.fsdp;

/**
 * Bytes of full (gathered) parameters that the fully sharded units sharing this meter hold right
 * now, and the most they held at once: the parameter part of a ZeRO-3 rank's peak memory, read
 * from the units' storages as they are gathered and released.
 */
public final class GatheredMemory {
    private long current;
    private long peak;

    synchronized void gathered(long bytes) {
        current += bytes;
        peak = Math.max(peak, current);
    }

    synchronized void released(long bytes) {
        current -= bytes;
    }

    /** Bytes of gathered parameters held now (0 between steps). */
    public synchronized long currentBytes() { return current; }

    /** The most gathered parameter bytes held at once since construction or {@link #resetPeak()}. */
    public synchronized long peakBytes() { return peak; }

    public synchronized void resetPeak() { peak = current; }
}
