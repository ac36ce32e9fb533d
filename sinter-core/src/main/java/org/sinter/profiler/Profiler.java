package org.sinter.profiler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.sinter.Dispatch;
import org.sinter.GradMode;
import org.sinter.Node;
import org.sinter.Tensor;
import org.sinter.ops.Op;

/**
 * Records every tensor op call and every autograd backward node run on the current thread while
 * open: name, wall time with and without nested calls, input shapes and the bytes the outputs
 * allocated. PyTorch's {@code torch.profiler.profile} for the CPU.
 *
 * <pre>{@code
 * try (Profiler prof = Profiler.start()) {
 *     try (var r = Profiler.record("forward")) { loss = model.forward(x).sum(); }
 *     loss.backward();
 * }
 * System.out.println(prof.keyAverages().table(KeyAverages.SortBy.SELF_CPU_TIME_TOTAL, 10));
 * prof.exportChromeTrace(Path.of("trace.json"));   // open in ui.perfetto.dev or chrome://tracing
 * }</pre>
 *
 * <p>Nesting: {@code Dispatch} reports only top-level op calls (not the ops an op's forward uses),
 * so an op's self time equals its total time; backward nodes and {@link #record user ranges} do
 * nest, with the ops they call as children. Only the starting thread is recorded (the kernels'
 * worker threads are inside the ops' times). An installed listener (a tracer) keeps receiving calls.
 */
public final class Profiler implements AutoCloseable {
    private static final ThreadLocal<Profiler> ACTIVE = new ThreadLocal<>();

    private final long origin = System.nanoTime();
    private final long threadId = Thread.currentThread().threadId();
    private final Dispatch.OpListener previous;
    private final Profiler previousActive;
    private final GradMode.Scope listening;
    private final List<ProfilerEvent> events = new ArrayList<>();
    private final ArrayList<Frame> stack = new ArrayList<>();
    private boolean open = true;

    /** An interval being timed. */
    private static final class Frame {
        final String name;
        final ProfilerEvent.Kind kind;
        final long start;
        final String shapes;
        long childNs;
        long childBytes;
        Object chained;

        Frame(String name, ProfilerEvent.Kind kind, long start, String shapes) {
            this.name = name;
            this.kind = kind;
            this.start = start;
            this.shapes = shapes;
        }
    }

    private Profiler() {
        previous = Dispatch.listener();
        previousActive = ACTIVE.get();
        listening = Dispatch.listen(new Listener());
        ACTIVE.set(this);
    }

    /** Starts recording on the current thread; close it (try-with-resources) to stop. */
    public static Profiler start() {
        return new Profiler();
    }

    /**
     * Opens a named range on this thread's open profiler (PyTorch's {@code record_function}); the
     * ops called inside are nested under it. A no-op when no profiler is recording.
     */
    public static GradMode.Scope record(String name) {
        Profiler p = ACTIVE.get();
        if (p == null || !p.open) return () -> {};
        Frame f = p.push(name, ProfilerEvent.Kind.USER, "");
        return () -> p.pop(f, 0);
    }

    /** Whether a profiler is recording on this thread (callers skip building range names when not). */
    public static boolean isRecording() {
        Profiler p = ACTIVE.get();
        return p != null && p.open;
    }

    /** Stops recording and restores the previous listener. Idempotent. */
    @Override
    public void close() {
        if (!open) return;
        open = false;
        listening.close();
        ACTIVE.set(previousActive);
    }

    /** The recorded events, in the order they ended. */
    public List<ProfilerEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** Events grouped by name (PyTorch's {@code key_averages()}). */
    public KeyAverages keyAverages() {
        return new KeyAverages(events, false);
    }

    /** Events grouped by name and, when asked, by input shapes too. */
    public KeyAverages keyAverages(boolean groupByInputShape) {
        return new KeyAverages(events, groupByInputShape);
    }

    /** Writes the events as Chrome trace JSON (Perfetto, chrome://tracing), atomically. */
    public void exportChromeTrace(Path file) throws IOException {
        ChromeTrace.write(events, file);
    }

    private Frame push(String name, ProfilerEvent.Kind kind, String shapes) {
        Frame f = new Frame(name, kind, System.nanoTime(), shapes);
        stack.add(f);
        return f;
    }

    /** Ends {@code f}; frames above it (left open by an exception) are dropped. */
    private void pop(Frame f, long selfBytes) {
        long end = System.nanoTime();
        int at = stack.lastIndexOf(f);
        if (at < 0) return;
        while (stack.size() > at) stack.removeLast();
        long total = end - f.start;
        long totalBytes = selfBytes + f.childBytes;
        if (!stack.isEmpty()) {
            Frame parent = stack.getLast();
            parent.childNs += total;
            parent.childBytes += totalBytes;
        }
        events.add(new ProfilerEvent(f.name, f.kind, f.start - origin, total, Math.max(0, total - f.childNs), f.shapes,
                selfBytes, totalBytes, threadId, at));
    }

    static String shapes(Tensor[] inputs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < inputs.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append('[');
            int[] s = inputs[i].shape();
            for (int d = 0; d < s.length; d++) sb.append(d > 0 ? ", " : "").append(s[d]);
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    /** An asynchronous device (a GPU) has only queued the op's kernels: wait for them, so the op's time is theirs. */
    private static void waitForDevice(Tensor[] inputs) {
        for (Tensor t : inputs) {
            org.sinter.Device d = t.device();
            if (d.type() == org.sinter.Device.Type.CUDA) {
                org.sinter.backend.Backends.of(d).synchronize(d);
                return;
            }
        }
    }

    /** Bytes of the storages the outputs hold that none of the inputs held before. */
    static long allocatedBytes(Tensor[] inputs, Tensor[] outputs) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : inputs) seen.add(t.storage());
        long bytes = 0;
        for (Tensor t : outputs) {
            if (seen.add(t.storage())) bytes += (long) t.storage().length() * t.dtype().itemSize();
        }
        return bytes;
    }

    /** Receives Dispatch's and the engine's calls, and forwards them to the listener it replaced. */
    private final class Listener implements Dispatch.OpListener {
        @Override
        public Object onEnter(Op op, Tensor[] inputs) {
            Frame f = push(op.name(), ProfilerEvent.Kind.OP, shapes(inputs));
            if (previous != null) f.chained = previous.onEnter(op, inputs);
            return f;
        }

        @Override
        public void onExit(Object token, Op op, Tensor[] inputs, Tensor[] outputs) {
            Frame f = (Frame) token;
            if (previous != null) previous.onExit(f.chained, op, inputs, outputs);
            waitForDevice(inputs);
            pop(f, allocatedBytes(inputs, outputs));
        }

        @Override
        public Object onBackwardEnter(Node node) {
            Frame f = push(node.name(), ProfilerEvent.Kind.BACKWARD, "");
            if (previous != null) f.chained = previous.onBackwardEnter(node);
            return f;
        }

        @Override
        public void onBackwardExit(Object token, Node node) {
            Frame f = (Frame) token;
            if (previous != null) previous.onBackwardExit(f.chained, node);
            pop(f, 0);
        }
    }
}
