package org.sinter.distributed;

import java.time.Duration;
import org.sinter.distributed.collectives.AllReduce;
import org.sinter.distributed.transport.Transport;

/**
 * How a process group talks: the timeout of every blocking call, the transport, the all-reduce
 * algorithm, and the address other ranks dial this one at.
 */
public record ProcessGroupOptions(Duration timeout, Transport transport, AllReduce allReduce, String advertiseHost) {
    /** PyTorch's default is 30 minutes; a hung peer should surface sooner than that. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);

    public ProcessGroupOptions {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("process group timeout must be positive, got " + timeout);
    }

    /** Defaults, overridden by {@code SINTER_DIST_TIMEOUT_S}, {@code SINTER_TRANSPORT}, {@code SINTER_ALLREDUCE} and {@code SINTER_ADVERTISE_ADDR}. */
    public static ProcessGroupOptions fromEnvironment(String defaultAdvertiseHost) {
        String t = System.getenv("SINTER_DIST_TIMEOUT_S");
        String a = System.getenv("SINTER_ALLREDUCE");
        String host = System.getenv("SINTER_ADVERTISE_ADDR");
        Duration timeout;
        try {
            timeout = t == null || t.isBlank() ? DEFAULT_TIMEOUT : Duration.ofMillis((long) (Double.parseDouble(t.trim()) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SINTER_DIST_TIMEOUT_S must be a number of seconds, got '" + t + "'");
        }
        AllReduce algo;
        try {
            algo = a == null || a.isBlank() ? AllReduce.RING : AllReduce.valueOf(a.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SINTER_ALLREDUCE must be one of " + java.util.Arrays.toString(AllReduce.values()) + ", got '" + a + "'");
        }
        return new ProcessGroupOptions(timeout, Transport.fromEnvironment(), algo, host == null || host.isBlank() ? defaultAdvertiseHost : host.trim());
    }

    /** Loopback, TCP or shared memory, ring all-reduce: what tests of ranks-as-threads use. */
    public static ProcessGroupOptions local(Transport transport, Duration timeout) {
        return new ProcessGroupOptions(timeout, transport, AllReduce.RING, "127.0.0.1");
    }

    public ProcessGroupOptions withAllReduce(AllReduce algorithm) {
        return new ProcessGroupOptions(timeout, transport, algorithm, advertiseHost);
    }
}
