package org.sinter.profiler;

/**
 * One recorded interval: an op call, an autograd backward node, or a user range.
 *
 * @param name        op name ({@code matmul}), backward node name ({@code MmBackward0}) or range name
 * @param kind        what was recorded
 * @param startNs     start, in nanoseconds since the profiler started
 * @param durationNs  wall time of the whole interval, nested intervals included ("CPU total")
 * @param selfNs      {@code durationNs} less the time of the intervals nested in it ("Self CPU")
 * @param inputShapes the inputs' shapes as PyTorch prints them, e.g. {@code [[2, 3], [3]]} ("" for ranges)
 * @param selfBytes   bytes of new storage the op's outputs allocated (0 for views and in-place ops)
 * @param totalBytes  {@code selfBytes} plus the bytes of the nested intervals
 * @param threadId    the Java thread that ran it
 * @param depth       nesting depth (0 for top-level)
 */
public record ProfilerEvent(String name, Kind kind, long startNs, long durationNs, long selfNs, String inputShapes,
                            long selfBytes, long totalBytes, long threadId, int depth) {
    /** What an event records. */
    public enum Kind {
        /** A top-level tensor op (through {@code Dispatch}). */
        OP("cpu_op"),
        /** An autograd node run by {@code backward()}; the ops its gradient formula calls are nested in it. */
        BACKWARD("autograd"),
        /** A range opened with {@link Profiler#record}. */
        USER("user_annotation");

        private final String category;

        Kind(String category) {
            this.category = category;
        }

        /** The Chrome trace category ("cat"). */
        public String category() {
            return category;
        }
    }
}
