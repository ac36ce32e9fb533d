package org.sinter.distributed.ddp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sinter.DType;
import org.sinter.GradMode;
import org.sinter.Node;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;
import org.sinter.nn.Module;

/**
 * Data-parallel training as PyTorch's {@code DistributedDataParallel}: every rank holds a
 * replica of the module and trains on its own slice of the batch; gradients are averaged across
 * ranks during backward, so after {@code backward()} every replica holds the gradient of the
 * whole batch and the optimizer steps stay identical.
 * <ul>
 *   <li>At construction rank 0's parameters and buffers are broadcast to all ranks.</li>
 *   <li>Gradients are grouped into buckets of about {@code bucketCapMb} in reverse registration
 *       order; a post-accumulate-grad hook on each parameter counts it ready, and a bucket whose
 *       gradients are all ready is all-reduced at once, on the group's thread, while backward
 *       goes on computing the gradients of earlier layers (overlap). Buckets are launched in
 *       index order, so every rank issues the same collectives in the same order.</li>
 *   <li>When the last bucket is launched, the hook waits for all of them and writes the
 *       averaged gradients back, so {@code backward()} returns with them in place.</li>
 *   <li>{@code findUnusedParameters}: forward walks the autograd graph from the output and
 *       marks parameters it does not reach as ready (their bucket slot is zero); parameters
 *       unused on every rank keep their gradient untouched. Without it, a parameter that gets
 *       no gradient makes the next forward fail with PyTorch's message naming it.</li>
 *   <li>{@link #noSync()}: backward passes inside it only accumulate local gradients; the
 *       first synchronized backward after it reduces the accumulated sum.</li>
 * </ul>
 */
public final class DistributedDataParallel extends Module {
    /** PyTorch's defaults: 25 MiB buckets, unused-parameter search off, buffers broadcast each forward. */
    public record Options(double bucketCapMb, boolean findUnusedParameters, boolean broadcastBuffers) {
        public Options {
            if (!(bucketCapMb > 0)) throw new IllegalArgumentException("DistributedDataParallel: bucketCapMb must be positive, got " + bucketCapMb);
        }

        public static Options defaults() {
            return new Options(25, false, true);
        }

        public Options withBucketCapMb(double mb) { return new Options(mb, findUnusedParameters, broadcastBuffers); }
        public Options withFindUnusedParameters(boolean on) { return new Options(bucketCapMb, on, broadcastBuffers); }
        public Options withBroadcastBuffers(boolean on) { return new Options(bucketCapMb, findUnusedParameters, on); }
    }

    private final Module module;
    private final ProcessGroup group;
    private final Options options;
    private final List<Tensor> params = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final Map<Tensor, Integer> indexOf = new IdentityHashMap<>();
    private final List<Bucket> buckets = new ArrayList<>();
    private final int[] bucketOf;
    private final int[] slotOf;
    private final List<Tensor.RemovableHandle> hooks = new ArrayList<>();

    // Per-iteration state, touched only by the training thread (forward and backward).
    private boolean[] ready;
    private boolean[] usedLocally;
    private int nextBucket;
    private boolean expectingBackward;
    private boolean anyHookFired;
    private boolean syncEnabled = true;
    private CommHook commHook = CommHook.allReduce();
    private Timeline timeline;
    private int iteration;

    public DistributedDataParallel(Module module, ProcessGroup group) {
        this(module, group, Options.defaults());
    }

    public DistributedDataParallel(Module module, ProcessGroup group, Options options) {
        this.module = registerModule("module", module);
        this.group = group;
        this.options = options;
        for (Map.Entry<String, Tensor> e : module.namedParameters().entrySet()) {
            if (!e.getValue().requiresGrad()) continue;
            indexOf.put(e.getValue(), params.size());
            params.add(e.getValue());
            names.add(e.getKey());
        }
        bucketOf = new int[params.size()];
        slotOf = new int[params.size()];
        broadcastFromRankZero(module.parameters());
        broadcastFromRankZero(module.buffers());
        buildBuckets((long) (options.bucketCapMb() * 1024 * 1024));
        for (Tensor p : params) hooks.add(p.registerPostAccumulateGradHook(this::onGradReady));
        ready = new boolean[params.size()];
        usedLocally = new boolean[params.size()];
    }

    public Module module() { return module; }
    public ProcessGroup processGroup() { return group; }

    /** The parameter names of each bucket, in reduction order (for inspection and tests). */
    public List<List<String>> bucketParameterNames() {
        List<List<String>> out = new ArrayList<>();
        for (Bucket b : buckets) out.add(b.params.stream().map(names::get).toList());
        return out;
    }

    private void buildBuckets(long capBytes) {
        Map<DType, List<Integer>> open = new LinkedHashMap<>();
        Map<DType, Long> openBytes = new LinkedHashMap<>();
        List<List<Integer>> closed = new ArrayList<>();
        for (int i = params.size() - 1; i >= 0; i--) {
            DType dt = params.get(i).dtype();
            List<Integer> cur = open.computeIfAbsent(dt, d -> new ArrayList<>());
            cur.add(i);
            long bytes = openBytes.merge(dt, params.get(i).numel() * dt.itemSize(), Long::sum);
            if (bytes >= capBytes) {
                closed.add(cur);
                open.remove(dt);
                openBytes.remove(dt);
            }
        }
        closed.addAll(open.values());
        for (List<Integer> idx : closed) {
            long[] off = new long[idx.size() + 1];
            for (int k = 0; k < idx.size(); k++) {
                off[k + 1] = off[k] + params.get(idx.get(k)).numel();
                bucketOf[idx.get(k)] = buckets.size();
                slotOf[idx.get(k)] = k;
            }
            DType dt = params.get(idx.get(0)).dtype();
            buckets.add(new Bucket(buckets.size(), List.copyOf(idx), off, Tensor.zeros(dt, Math.toIntExact(off[idx.size()]))));
        }
    }

    private void broadcastFromRankZero(List<Tensor> tensors) {
        Map<DType, List<Tensor>> byType = new LinkedHashMap<>();
        for (Tensor t : tensors) byType.computeIfAbsent(t.dtype(), d -> new ArrayList<>()).add(t);
        try (var _ = GradMode.set(false)) {
            for (List<Tensor> ts : byType.values()) {
                List<Tensor> flats = new ArrayList<>();
                for (Tensor t : ts) flats.add(t.reshape(-1));
                Tensor flat = Tensor.cat(flats, 0).contiguous().clone();
                group.broadcast(flat, 0);
                long off = 0;
                for (Tensor t : ts) {
                    int n = Math.toIntExact(t.numel());
                    t.copy_(flat.narrow(0, (int) off, n).reshape(t.shape()));
                    off += n;
                }
            }
        }
    }

    /** Runs the module; starts a new iteration of gradient reduction unless inside {@link #noSync()}. */
    @Override
    public Tensor forward(Tensor input) {
        if (expectingBackward && anyHookFired) throw unfinishedReduction();
        if (options.broadcastBuffers() && !module.buffers().isEmpty()) broadcastFromRankZero(module.buffers());
        Tensor out = module.forward(input);
        prepareForBackward(out);
        return out;
    }

    private void prepareForBackward(Tensor output) {
        java.util.Arrays.fill(ready, false);
        java.util.Arrays.fill(usedLocally, false);
        for (Bucket b : buckets) {
            b.pending = b.params.size();
            b.reduced = null;
        }
        nextBucket = 0;
        anyHookFired = false;
        expectingBackward = syncEnabled && GradMode.isEnabled() && output.requiresGrad();
        if (!expectingBackward || !options.findUnusedParameters()) return;
        Set<Tensor> reached = reachableParameters(output);
        for (int i = 0; i < params.size(); i++) {
            if (!reached.contains(params.get(i))) markReady(i);
        }
    }

    /** The parameters whose sink nodes the output's autograd graph reaches. */
    private Set<Tensor> reachableParameters(Tensor output) {
        Set<Tensor> found = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> stack = new ArrayList<>();
        if (output.gradFn() != null) stack.add(output.gradFn());
        else if (indexOf.containsKey(output)) found.add(output);
        while (!stack.isEmpty()) {
            Node n = stack.removeLast();
            if (!seen.add(n)) continue;
            Tensor v = n.variable();
            if (v != null) found.add(v);
            for (Node next : n.nextFunctions()) if (next != null) stack.add(next);
        }
        return found;
    }

    private void onGradReady(Tensor param) {
        if (!syncEnabled || !expectingBackward) return;
        Integer i = indexOf.get(param);
        if (i == null) return;
        anyHookFired = true;
        usedLocally[i] = true;
        if (ready[i]) {
            throw new IllegalStateException("DistributedDataParallel: parameter " + names.get(i) + " received its gradient twice in one "
                    + "backward pass (was it marked unused by findUnusedParameters, or is backward run twice per forward?)");
        }
        markReady(i);
    }

    private void markReady(int i) {
        ready[i] = true;
        Bucket b = buckets.get(bucketOf[i]);
        if (b.pending == b.params.size()) b.firstReadyNanos = System.nanoTime();
        if (--b.pending > 0) return;
        // Launch in index order, whatever order buckets complete in on this rank.
        while (nextBucket < buckets.size() && buckets.get(nextBucket).pending == 0) launch(buckets.get(nextBucket++));
        if (nextBucket == buckets.size()) finish();
    }

    private void launch(Bucket b) {
        try (var _ = GradMode.set(false)) {
            for (int k = 0; k < b.params.size(); k++) {
                Tensor g = params.get(b.params.get(k)).grad();
                Tensor slot = b.flat.narrow(0, (int) b.offsets[k], (int) (b.offsets[k + 1] - b.offsets[k]));
                if (g == null) slot.zero_();
                else slot.copy_(g.reshape(-1));
            }
        }
        long start = System.nanoTime();
        b.reduced = commHook.apply(group, b.index, b.flat);
        if (timeline != null) {
            Timeline t = timeline;
            int it = iteration;
            t.record("WAIT_FOR_DATA", b.index, it, b.firstReadyNanos, start);
            // The future that backward waits on completes only after the event is recorded.
            b.reduced = b.reduced.whenComplete((r, e) -> t.record("ALLREDUCE", b.index, it, start, System.nanoTime()));
        }
    }

    private void finish() {
        boolean[] usedSomewhere = null;
        Tensor[] averaged = new Tensor[buckets.size()];
        for (Bucket b : buckets) {
            long t0 = System.nanoTime();
            averaged[b.index] = await(b);
            if (timeline != null) timeline.record("WAIT", b.index, iteration, t0, System.nanoTime());
        }
        if (options.findUnusedParameters()) usedSomewhere = globallyUsed();
        try (var _ = GradMode.set(false)) {
            for (Bucket b : buckets) {
                for (int k = 0; k < b.params.size(); k++) {
                    int i = b.params.get(k);
                    if (usedSomewhere != null && !usedSomewhere[i]) continue;
                    Tensor p = params.get(i);
                    Tensor avg = averaged[b.index].narrow(0, (int) b.offsets[k], (int) (b.offsets[k + 1] - b.offsets[k])).reshape(p.shape());
                    if (p.grad() == null) p.setGrad(avg.clone());
                    else p.grad().copy_(avg);
                }
            }
        }
        expectingBackward = false;
        iteration++;
    }

    /** Starts recording the timeline of every later iteration (see {@link Timeline}). */
    public Timeline enableTimeline() {
        if (timeline == null) timeline = new Timeline(group.rank());
        return timeline;
    }

    private static Tensor await(Bucket b) {
        try {
            return b.reduced.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    /**
     * Replaces how buckets are reduced ({@link CommHook#allReduce()} by default); call it before
     * the first backward, on every rank.
     */
    public void registerCommHook(CommHook hook) {
        if (hook == null) throw new IllegalArgumentException("registerCommHook: hook is null");
        if (anyHookFired) throw new IllegalStateException("registerCommHook: must be called before the first backward");
        List<CommHook.BucketLayout> layouts = new ArrayList<>();
        for (Bucket b : buckets) layouts.add(new CommHook.BucketLayout(b.index, b.params.stream().map(i -> params.get(i).shape()).toList()));
        hook.onBuckets(layouts);
        this.commHook = hook;
    }

    private boolean[] globallyUsed() {
        int[] local = new int[params.size()];
        for (int i = 0; i < local.length; i++) local[i] = usedLocally[i] ? 1 : 0;
        Tensor t = Tensor.of(local, local.length);
        group.allReduce(t, ReduceOp.MAX);
        int[] all = t.toIntArray();
        boolean[] out = new boolean[all.length];
        for (int i = 0; i < all.length; i++) out[i] = all[i] != 0;
        return out;
    }

    private IllegalStateException unfinishedReduction() {
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) if (!ready[i]) missing.add(names.get(i));
        expectingBackward = false;
        return new IllegalStateException("DistributedDataParallel: Expected to have finished reduction in the prior iteration before "
                + "starting a new one. This error indicates that your module has parameters that were not used in producing loss; "
                + "pass findUnusedParameters=true, or make sure every parameter takes part in the loss. Parameters that did not "
                + "receive a gradient: " + missing);
    }

    /**
     * Averages the parameters' gradients over the group now, bucket by bucket through the comm hook,
     * for gradients that did not come from an eager backward through this module: a compiled
     * training step computes them inside its own graph, where the autograd hooks never fire. Call it
     * after the step and before the optimizer's; with {@link #syncBuffers} before the step, a
     * compiled step trains as the eager DDP step does (without its overlap of communication and
     * backward). A parameter without a gradient counts as zeros, as an unused one does.
     */
    public void reduceGradients() {
        if (expectingBackward && anyHookFired) throw unfinishedReduction();
        java.util.Arrays.fill(ready, true);
        java.util.Arrays.fill(usedLocally, true);
        for (Bucket b : buckets) {
            b.pending = 0;
            b.firstReadyNanos = System.nanoTime();
        }
        for (Bucket b : buckets) launch(b);
        nextBucket = buckets.size();
        finish();
    }

    /** Copies rank 0's buffers (batch norms' running statistics) to every rank, as each forward through this module does. */
    public void syncBuffers() {
        if (options.broadcastBuffers() && !module.buffers().isEmpty()) broadcastFromRankZero(module.buffers());
    }

    /**
     * Backward passes inside the returned scope only accumulate local gradients (PyTorch's
     * {@code no_sync()}); use it for all but the last micro-batch of gradient accumulation.
     */
    public AutoCloseable noSync() {
        boolean before = syncEnabled;
        syncEnabled = false;
        return () -> syncEnabled = before;
    }

    /** Removes the gradient hooks; the wrapped module keeps training alone afterwards. */
    public void removeHooks() {
        for (Tensor.RemovableHandle h : hooks) h.remove();
        hooks.clear();
    }
}
