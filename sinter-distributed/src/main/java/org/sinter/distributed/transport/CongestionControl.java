package org.sinter.distributed.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The TCP congestion control of a collective link's socket ({@code TCP_CONGESTION}).
 *
 * <p>A ring all-reduce is as fast as its slowest link at every moment, and BBR (the default of
 * many hosts, this one's too) stalls a link in two ways a collective feels: every 10 s without a
 * lower round-trip sample it enters PROBE_RTT, four packets in flight for 200 ms, which cost a
 * 64 MiB all-reduce on 1 Gbit/s links 110–160 ms each time (the links' probes can fall in
 * different all-reduces, so a ring of four links sees up to four times as many slow ones); and it
 * paces at its estimate of the bottleneck's rate, keeping almost no queue there, so a sender woken
 * a few milliseconds late can leave the link idle. A loss-based algorithm keeps a queue of a few
 * milliseconds at the bottleneck that absorbs such delays (docs/distributed.md, "BBR's PROBE_RTT:
 * the slow all-reduces"). So a link whose
 * socket would run BBR switches to CUBIC, or Reno where the process may not choose CUBIC (Linux
 * lets any process pick an algorithm listed in {@code net.ipv4.tcp_allowed_congestion_control},
 * which always holds Reno); any other default (CUBIC, DCTCP, ...) is kept.
 *
 * <p>{@code -Dsinter.tcp.congestion=NAME[,NAME...]} asks for the first of those the kernel
 * accepts, whatever the default (an error naming them when it accepts none);
 * {@code -Dsinter.tcp.congestion=default} keeps the kernel's default.
 */
final class CongestionControl {
    private static final int TCP_CONGESTION = 13;
    /** Linux's longest algorithm name (TCP_CA_NAME_MAX) with its terminating NUL. */
    private static final int NAME_BYTES = 16;
    /** What replaces BBR when nothing is asked for. */
    static final List<String> INSTEAD_OF_BBR = List.of("cubic", "reno");

    private CongestionControl() {}

    /**
     * Applies the choice ({@code asked}: the property's value, or null for the automatic one) to
     * the socket {@code fd}; the algorithm it runs afterwards, or null where that cannot be read
     * (not Linux: nothing is changed).
     */
    static String apply(int fd, String asked) {
        String current = of(fd);
        if (current == null) return null;
        List<String> wanted = wanted(asked, current);
        for (String name : wanted) if (set(fd, name)) return name;
        if (asked != null && !wanted.isEmpty()) {
            throw new IllegalStateException("-Dsinter.tcp.congestion=" + asked + ": the kernel accepts none of " + wanted
                    + " for this process (net.ipv4.tcp_allowed_congestion_control: " + allowed() + ")");
        }
        return current;
    }

    /** As {@link #apply(int, String)} with {@code -Dsinter.tcp.congestion}. */
    static String apply(int fd) {
        return apply(fd, System.getProperty("sinter.tcp.congestion"));
    }

    /** The algorithms to try, in order, on a socket running {@code current}; empty: keep it. */
    static List<String> wanted(String asked, String current) {
        if (asked == null) return current.equals("bbr") ? INSTEAD_OF_BBR : List.of();
        String a = asked.trim();
        if (a.isEmpty() || a.equals("default")) return List.of();
        return Arrays.stream(a.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Sets algorithm {@code name} on the socket {@code fd}; false where the kernel refused it. */
    static boolean set(int fd, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= NAME_BYTES) throw new IllegalArgumentException("-Dsinter.tcp.congestion: name too long: " + name);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(bytes.length + 1);
            value.copyFrom(MemorySegment.ofArray(bytes));
            return SocketOption.set(fd, SocketOption.IPPROTO_TCP, TCP_CONGESTION, value);
        }
    }

    /** The algorithm the socket {@code fd} runs, or null where it cannot be read. */
    static String of(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(NAME_BYTES);
            int n = SocketOption.get(fd, SocketOption.IPPROTO_TCP, TCP_CONGESTION, value, arena.allocate(ValueLayout.JAVA_INT));
            return n < 0 ? null : value.getString(0, StandardCharsets.US_ASCII);
        }
    }

    private static String allowed() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_allowed_congestion_control")).trim();
        } catch (IOException e) {
            return "unreadable";
        }
    }
}
