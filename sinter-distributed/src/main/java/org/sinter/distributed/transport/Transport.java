package org.sinter.distributed.transport;

/** Which transport carries data to a peer. */
public enum Transport {
    /** Shared memory to ranks on this machine, TCP to the rest (the default). */
    AUTO,
    /** TCP to every peer, even on this machine. */
    TCP,
    /** Shared memory to every peer; every rank must be on this machine. */
    SHM;

    /** From {@code SINTER_TRANSPORT} ({@code auto}, {@code tcp}, {@code shm}); unset means AUTO. */
    public static Transport fromEnvironment() {
        String v = System.getenv("SINTER_TRANSPORT");
        if (v == null || v.isBlank()) return AUTO;
        try {
            return valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SINTER_TRANSPORT must be auto, tcp or shm, got '" + v + "'");
        }
    }
}
