package org.sinter.distributed.optim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.sinter.DType;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;
import org.sinter.distributed.Work;
import org.sinter.optim.Optimizer;
import org.sinter.optim.ParamGroup;
import org.sinter.profiler.Profiler;

/**
 * Optimizer-state sharding, ZeRO stage 1 (Rajbhandari et al. 2020; PyTorch's
 * {@code torch.distributed.optim.ZeroRedundancyOptimizer}): every rank keeps the optimizer state of
 * only its own shard of the parameters, so Adam's two moment buffers cost 1/world of their size
 * per rank. Gradients are still complete on every rank (reduced by {@code DistributedDataParallel}
 * or by the caller); {@link #step()} updates the local shard with the wrapped optimizer, then every
 * rank broadcasts the parameters it owns, so all replicas end the step identical.
 *
 * <p>{@link Stage#GRADIENTS} is ZeRO stage 2: the model is not wrapped in DDP; each rank's local
 * gradient sums are reduced only to the parameter's owner ({@code reduce}, one flat buffer per
 * owner and dtype, half an all-reduce's traffic), averaged there, and dropped on every other rank,
 * so between steps a rank holds the gradients of its own shard only; the broadcast after the update
 * is the other half of the traffic. A bucket is reduced as soon as backward completed its
 * gradients, overlapping the rest of backward (as DeepSpeed's bucketed reduction does), and its
 * full gradients are dropped then. A parameter no rank computed a gradient for is reduced as zeros
 * (as DDP does).
 *
 * <p>Parameters are partitioned as PyTorch does: within each group, largest first, each to the rank
 * with the fewest elements so far. The wrapped optimizer is built by {@code factory} over this
 * rank's share of the groups (same options), so any {@link Optimizer} works. Options set on
 * {@link #paramGroups()} (learning-rate schedulers) reach the local optimizer at each step.
 *
 * <p>Checkpoints: {@link #consolidateStateDict(int)} (a collective) gathers the whole state on one
 * rank; there {@link #stateTensors()} and {@link #stateValues()} return it in the plain optimizer's
 * keys, so a ZeRO checkpoint loads into the unsharded optimizer and back. {@link #loadState} takes
 * such a full state on every rank and keeps the local shard.
 */
public final class ZeroRedundancyOptimizer extends Optimizer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What is sharded beyond the parameters' replicas: the optimizer state (stage 1), and also the gradients (stage 2). */
    public enum Stage { OPTIMIZER_STATE, GRADIENTS }

    private final ProcessGroup group;
    private final Stage stage;
    /** The rank owning each parameter, by identity. */
    private final Map<Tensor, Integer> owner;
    /** Parameters per owning rank, in global order (the broadcast layout). */
    private final List<List<Tensor>> shards;
    private final List<BroadcastBucket> buckets;
    /** The optimizer over this rank's shard; null when the rank owns no parameter. */
    private final Optimizer local;
    /** For each local group, the index of the global group it came from. */
    private final int[] localToGlobalGroup;
    /** Global parameter index of each local parameter, in the local optimizer's order. */
    private final int[] localToGlobalParam;
    private Map<String, Tensor> consolidatedTensors;
    private Map<String, Object> consolidatedValues;
    /** Stage 2, per bucket: gradients completed in the current backward. */
    private int[] readyInBucket;
    /** Stage 2, per bucket: the reduction in flight since its gradients were complete. */
    private Work[] pendingReduce;
    /** Stage 2, per bucket this rank owns: the sum of the reductions since the last step. */
    private Tensor[] reducedSum;
    /** Stage 2, per bucket: whether it was reduced since the last step. */
    private boolean[] reducedThisStep;

    /** Shards {@code params} (one group) over {@code group}'s ranks. */
    public ZeroRedundancyOptimizer(Iterable<Tensor> params, Function<List<ParamGroup>, Optimizer> factory, ProcessGroup group) {
        this(List.of(ParamGroup.of(params)), factory, group);
    }

    /** Shards every group's parameters over {@code group}'s ranks; the groups keep their options. */
    public ZeroRedundancyOptimizer(List<ParamGroup> groups, Function<List<ParamGroup>, Optimizer> factory, ProcessGroup group) {
        this(groups, factory, group, Stage.OPTIMIZER_STATE);
    }

    /** As above, with the gradients sharded too when {@code stage} is {@link Stage#GRADIENTS} (then do not wrap the model in DDP). */
    public ZeroRedundancyOptimizer(List<ParamGroup> groups, Function<List<ParamGroup>, Optimizer> factory, ProcessGroup group, Stage stage) {
        Partition p = Partition.of(groups, group.size(), group.rank());
        Optimizer built = p.localGroups().isEmpty() ? null : factory.apply(p.localGroups());
        // The defaults (lr, betas, ...) come from the wrapped optimizer; a rank without a shard asks
        // one built over a single parameter (optimizers create their state lazily).
        super(groups, (built != null ? built : factory.apply(List.of(ParamGroup.of(p.anyParam())))).defaults());
        this.group = group;
        this.stage = stage;
        this.owner = p.owner();
        this.shards = p.shards();
        this.buckets = group.size() == 1 ? List.of() : broadcastBuckets(p.shards()); // also stage 2's reduction buffers
        this.local = built;
        this.localToGlobalGroup = p.localToGlobalGroup();
        this.localToGlobalParam = p.localToGlobalParam();
        if (stage == Stage.GRADIENTS && group.size() > 1) reduceDuringBackward();
    }

    /**
     * Stage 2 reduces a bucket (one owner's parameters of one dtype) as soon as backward has
     * completed all its gradients (post-accumulate-grad hooks), while backward goes on with earlier
     * layers, and every rank drops those gradients at once; the owner adds the reduced sums up until
     * {@link #step()}. Ranks launch the buckets in the order backward completes them, the same on
     * every rank running the same model; buckets backward did not complete are reduced at the step.
     */
    private void reduceDuringBackward() {
        int n = buckets.size();
        readyInBucket = new int[n];
        pendingReduce = new Work[n];
        reducedSum = new Tensor[n];
        reducedThisStep = new boolean[n];
        for (int k = 0; k < n; k++) {
            int bucket = k;
            for (Tensor param : buckets.get(k).params()) {
                param.registerPostAccumulateGradHook(t -> {
                    if (++readyInBucket[bucket] == buckets.get(bucket).params().size()) launchReduce(bucket);
                });
            }
        }
    }

    /** Copies the bucket's gradients (zeros where none) into its buffer, drops them and starts the reduction to the owner. */
    private void launchReduce(int k) {
        readyInBucket[k] = 0;
        finishReduce(k); // a second backward before the step: the buffer is free again once the first reduction landed
        BroadcastBucket b = buckets.get(k);
        try (var _ = Sinter.noGrad()) {
            int off = 0;
            for (Tensor p : b.params()) {
                Tensor slot = b.flat().narrow(0, off, (int) p.numel());
                if (p.grad() != null) slot.copy_(p.grad().reshape(-1));
                else slot.zero_();
                p.setGrad(null);
                off += (int) p.numel();
            }
        }
        pendingReduce[k] = group.reduceAsync(b.flat(), b.owner(), ReduceOp.SUM);
        reducedThisStep[k] = true;
    }

    /** Waits for the bucket's reduction; the owner adds the result to its sum. */
    private void finishReduce(int k) {
        Work w = pendingReduce[k];
        if (w == null) return;
        pendingReduce[k] = null;
        w.await();
        if (buckets.get(k).owner() != group.rank()) return;
        try (var _ = Sinter.noGrad()) {
            if (reducedSum[k] == null) reducedSum[k] = buckets.get(k).flat().clone();
            else reducedSum[k].add_(buckets.get(k).flat());
        }
    }

    /** Bytes of reduced gradient sums this rank holds for its own buckets until the step (stage 2). */
    public long reducedGradientBytes() {
        long b = 0;
        if (reducedSum != null) for (Tensor t : reducedSum) if (t != null) b += t.numel() * t.dtype().itemSize();
        return b;
    }

    @Override
    public void zeroGrad() {
        super.zeroGrad();
        if (reducedSum == null) return;
        for (int k = 0; k < buckets.size(); k++) {
            finishReduce(k);
            reducedSum[k] = null;
            reducedThisStep[k] = false;
            readyInBucket[k] = 0;
        }
    }

    /** The rank that owns (updates and broadcasts) {@code param}. */
    public int ownerOf(Tensor param) {
        Integer r = owner.get(param);
        if (r == null) throw new IllegalArgumentException("ZeroRedundancyOptimizer: " + param.describe() + " is not one of its parameters");
        return r;
    }

    /** The parameters this rank owns, in global order. */
    public List<Tensor> localParameters() {
        return shards.get(group.rank());
    }

    /** Elements of optimizer state (tensors) held on this rank: about 1/world of the unsharded optimizer's. */
    public long localStateNumel() {
        if (local == null) return 0;
        long n = 0;
        for (Tensor t : local.stateTensors().values()) n += t.numel();
        return n;
    }

    @Override
    protected void validate(ParamGroup g) {
        // The wrapped optimizer validates the options of its share of each group.
    }

    @Override
    protected void update(ParamGroup g, Tensor param, Tensor grad, Map<String, Object> st) {
        throw new UnsupportedOperationException("ZeroRedundancyOptimizer updates through its wrapped optimizer");
    }

    @Override
    public Map<String, Object> state(Tensor param) {
        return local != null && ownerOf(param) == group.rank() ? local.state(param) : Map.of();
    }

    @Override
    public void step() {
        consolidatedTensors = null;
        consolidatedValues = null;
        if (stage == Stage.GRADIENTS) {
            try (var _ = Sinter.noGrad(); var _ = Profiler.record("ZeroRedundancyOptimizer.reduceGradients")) {
                reduceGradientsToOwners();
            }
        }
        if (local != null) {
            syncOptions();
            local.step();
        }
        try (var _ = Sinter.noGrad(); var _ = Profiler.record("ZeroRedundancyOptimizer.broadcast")) {
            broadcastParameters();
        }
    }

    /** Copies the global groups' options (a scheduler's new lr) onto the local groups. */
    private void syncOptions() {
        List<ParamGroup> mine = local.paramGroups();
        for (int g = 0; g < mine.size(); g++) {
            ParamGroup from = paramGroups().get(localToGlobalGroup[g]);
            for (Map.Entry<String, Object> e : from.options().entrySet()) mine.get(g).set(e.getKey(), e.getValue());
        }
    }

    /** The parameters one rank broadcasts in one call (those of one dtype) and the flat buffer they travel in. */
    private record BroadcastBucket(int owner, List<Tensor> params, Tensor flat) {}

    /** One bucket per (owning rank, dtype), allocated once: every step reuses them. */
    private static List<BroadcastBucket> broadcastBuckets(List<List<Tensor>> shards) {
        List<BroadcastBucket> out = new ArrayList<>();
        for (int r = 0; r < shards.size(); r++) {
            Map<DType, List<Tensor>> byType = new EnumMap<>(DType.class);
            for (Tensor p : shards.get(r)) byType.computeIfAbsent(p.dtype(), d -> new ArrayList<>()).add(p);
            for (Map.Entry<DType, List<Tensor>> e : byType.entrySet()) {
                long n = 0;
                for (Tensor p : e.getValue()) n += p.numel();
                out.add(new BroadcastBucket(r, List.copyOf(e.getValue()), Tensor.empty(e.getKey(), Math.toIntExact(n))));
            }
        }
        return out;
    }

    public Stage stage() { return stage; }

    /**
     * Stage 2 at the step: reduces the buckets backward did not complete (in bucket order), waits
     * for all reductions, and gives each owned parameter the average; the others keep no gradient.
     */
    private void reduceGradientsToOwners() {
        if (group.size() == 1) return;
        for (int k = 0; k < buckets.size(); k++) if (!reducedThisStep[k] || readyInBucket[k] > 0) launchReduce(k);
        for (int k = 0; k < buckets.size(); k++) {
            finishReduce(k);
            reducedThisStep[k] = false;
            BroadcastBucket b = buckets.get(k);
            if (b.owner() != group.rank()) continue;
            int off = 0;
            for (Tensor p : b.params()) {
                p.setGrad(reducedSum[k].narrow(0, off, (int) p.numel()).view(p.shape()).div(group.size()).contiguous());
                off += (int) p.numel();
            }
            reducedSum[k] = null;
        }
    }

    /** Each rank sends its updated shard to all, one flat buffer per (rank, dtype). */
    private void broadcastParameters() {
        if (group.size() == 1) return;
        List<Work> works = new ArrayList<>(buckets.size());
        for (BroadcastBucket b : buckets) {
            if (b.owner() == group.rank()) {
                int off = 0;
                for (Tensor p : b.params()) {
                    b.flat().narrow(0, off, (int) p.numel()).copy_(p.reshape(-1));
                    off += (int) p.numel();
                }
            }
            works.add(group.broadcastAsync(b.flat(), b.owner()));
        }
        for (int k = 0; k < buckets.size(); k++) {
            works.get(k).await();
            BroadcastBucket b = buckets.get(k);
            if (b.owner() == group.rank()) continue;
            int off = 0;
            for (Tensor p : b.params()) {
                p.copy_(b.flat().narrow(0, off, (int) p.numel()).view(p.shape()));
                off += (int) p.numel();
            }
        }
    }

    // ------------------------------------------------------------------ checkpoints

    /**
     * Gathers every rank's shard of the state on rank {@code to} (a collective: every rank calls it).
     * Afterwards {@link #stateTensors()} and {@link #stateValues()} work on {@code to} only.
     */
    public void consolidateStateDict(int to) {
        if (to < 0 || to >= group.size()) throw new IllegalArgumentException("consolidateStateDict: rank " + to + " outside a group of " + group.size());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Tensor> mineTensors = globalKeys(local == null ? Map.of() : local.stateTensors());
        Map<String, Object> mineValues = globalKeys(local == null ? Map.of() : stateOnly(local.stateValues()));
        for (int r = 0; r < group.size(); r++) {
            // What rank r holds (names, dtypes, shapes, numbers) travels as JSON, then its tensors one by one.
            Description d = broadcastDescription(r == group.rank() ? Description.of(mineTensors, mineValues) : null, r);
            for (Description.Entry e : d.tensors()) {
                Tensor t = r == group.rank() ? mineTensors.get(e.key()).contiguous() : Tensor.empty(DType.valueOf(e.dtype()), e.shape());
                group.broadcast(t, r);
                if (group.rank() == to) tensors.put(e.key(), r == group.rank() ? t.clone() : t);
            }
            if (group.rank() == to) values.putAll(d.values());
        }
        if (group.rank() == to) {
            Map<String, Object> all = new LinkedHashMap<>(values);
            all.putAll(groupValues());
            consolidatedTensors = tensors;
            consolidatedValues = all;
        } else {
            consolidatedTensors = null;
            consolidatedValues = null;
        }
    }

    @Override
    public Map<String, Tensor> stateTensors() {
        requireConsolidated();
        return consolidatedTensors;
    }

    @Override
    public Map<String, Object> stateValues() {
        requireConsolidated();
        return consolidatedValues;
    }

    private void requireConsolidated() {
        if (consolidatedTensors == null) {
            throw new IllegalStateException("ZeroRedundancyOptimizer (rank " + group.rank() + "): the state is sharded; call "
                    + "consolidateStateDict(to) on every rank since the last step, then read it on rank `to`");
        }
    }

    /**
     * Loads a full (unsharded) state, as a plain optimizer or {@link #consolidateStateDict} exported
     * it, on every rank: each keeps the entries of the parameters it owns.
     */
    @Override
    public void loadState(Map<String, Tensor> tensors, Map<String, Object> values) {
        int nParams = 0;
        for (ParamGroup g : paramGroups()) nParams += g.params().size();
        Map<Integer, Integer> toLocal = new LinkedHashMap<>();
        for (int i = 0; i < localToGlobalParam.length; i++) toLocal.put(localToGlobalParam[i], i);
        Map<String, Tensor> localTensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String[] k = stateKey(e.getKey(), nParams);
            Integer i = toLocal.get(Integer.parseInt(k[0]));
            if (i != null) localTensors.put("state." + i + "." + k[1], e.getValue());
        }
        Map<String, Object> localValues = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("state.")) {
                String[] k = stateKey(key, nParams);
                Integer i = toLocal.get(Integer.parseInt(k[0]));
                if (i != null) localValues.put("state." + i + "." + k[1], e.getValue());
            } else if (key.startsWith("param_groups.")) {
                String rest = key.substring("param_groups.".length());
                int dot = rest.indexOf('.');
                int g = Integer.parseInt(rest.substring(0, dot));
                String opt = rest.substring(dot + 1);
                if (g >= paramGroups().size()) throw new IllegalArgumentException("loadState: no parameter group " + g + " (key " + key + ")");
                if (opt.equals("params")) {
                    if (e.getValue() instanceof List<?> l && l.size() != paramGroups().get(g).params().size()) {
                        throw new IllegalArgumentException("loadState: loaded parameter group " + g + " has " + l.size()
                                + " parameters, the optimizer's has " + paramGroups().get(g).params().size());
                    }
                } else {
                    paramGroups().get(g).set(opt, e.getValue());
                }
            } else {
                throw new IllegalArgumentException("loadState: unexpected key '" + key + "'");
            }
        }
        if (local != null) {
            local.loadState(localTensors, localValues);
            syncOptions();
        }
        consolidatedTensors = null;
        consolidatedValues = null;
    }

    /** Renames the local optimizer's {@code state.<local index>.<name>} keys to global indices. */
    private <V> Map<String, V> globalKeys(Map<String, V> localState) {
        Map<String, V> out = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : localState.entrySet()) {
            String[] k = stateKey(e.getKey(), localToGlobalParam.length);
            out.put("state." + localToGlobalParam[Integer.parseInt(k[0])] + "." + k[1], e.getValue());
        }
        return out;
    }

    private static Map<String, Object> stateOnly(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith("state.")) out.put(k, v);
        });
        return out;
    }

    /** The global groups' options and parameter indices, in the plain optimizer's keys. */
    private Map<String, Object> groupValues() {
        Map<String, Object> out = new LinkedHashMap<>();
        long index = 0;
        for (int g = 0; g < paramGroups().size(); g++) {
            ParamGroup pg = paramGroups().get(g);
            for (Map.Entry<String, Object> e : pg.options().entrySet()) out.put("param_groups." + g + "." + e.getKey(), e.getValue());
            List<Long> ids = new ArrayList<>();
            for (int k = 0; k < pg.params().size(); k++) ids.add(index++);
            out.put("param_groups." + g + ".params", ids);
        }
        return out;
    }

    private Description broadcastDescription(Description mine, int src) {
        byte[] bytes = mine == null ? null : mine.toJson();
        Tensor len = Tensor.of(new long[] {bytes == null ? 0 : bytes.length}, 1);
        group.broadcast(len, src);
        int n = Math.toIntExact(len.itemLong());
        // Four bytes per int32 element: the collectives move typed tensors.
        Tensor words = Tensor.empty(DType.INT32, (n + 3) / 4);
        if (bytes != null) {
            ByteBuffer bb = ByteBuffer.allocate(((n + 3) / 4) * 4).order(ByteOrder.LITTLE_ENDIAN).put(bytes).position(0);
            int[] ints = new int[(n + 3) / 4];
            bb.asIntBuffer().get(ints);
            words.copy_(Tensor.of(ints, ints.length));
        }
        group.broadcast(words, src);
        if (mine != null) return mine;
        ByteBuffer bb = ByteBuffer.allocate(((n + 3) / 4) * 4).order(ByteOrder.LITTLE_ENDIAN);
        int[] ints = words.contiguous().toIntArray();
        bb.asIntBuffer().put(ints);
        byte[] got = new byte[n];
        bb.get(got);
        return Description.fromJson(got);
    }

    /** A rank's shard of the state: tensor names with dtypes and shapes, and the numeric values. */
    record Description(List<Entry> tensors, Map<String, Object> values) {
        record Entry(String key, String dtype, int[] shape) {}

        static Description of(Map<String, Tensor> tensors, Map<String, Object> values) {
            List<Entry> entries = new ArrayList<>();
            tensors.forEach((k, t) -> entries.add(new Entry(k, t.dtype().name(), t.shape())));
            return new Description(entries, values);
        }

        byte[] toJson() {
            try {
                return JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("ZeroRedundancyOptimizer: optimizer state not expressible as JSON: " + e.getOriginalMessage(), e);
            }
        }

        static Description fromJson(byte[] bytes) {
            try {
                return JSON.readValue(bytes, new TypeReference<Description>() {});
            } catch (java.io.IOException e) {
                throw new IllegalStateException("ZeroRedundancyOptimizer: a peer's state description is corrupt: " + e.getMessage(), e);
            }
        }
    }

    /** Which rank owns which parameter, and this rank's share of the groups. */
    record Partition(Map<Tensor, Integer> owner, List<List<Tensor>> shards, List<ParamGroup> localGroups,
                     int[] localToGlobalGroup, int[] localToGlobalParam, Tensor anyParam) {

        static Partition of(List<ParamGroup> groups, int world, int rank) {
            Map<Tensor, Integer> owner = new IdentityHashMap<>();
            long[] load = new long[world];
            List<Tensor> all = new ArrayList<>();
            for (ParamGroup g : groups) {
                List<Tensor> bySize = new ArrayList<>(g.params());
                // Largest first, each to the least-loaded rank (ties to the lowest rank), as PyTorch's greedy split.
                bySize.sort((a, b) -> Long.compare(b.numel(), a.numel()));
                for (Tensor p : bySize) {
                    if (owner.containsKey(p)) continue; // the base class reports duplicates
                    int best = 0;
                    for (int r = 1; r < world; r++) if (load[r] < load[best]) best = r;
                    owner.put(p, best);
                    load[best] += p.numel();
                }
                all.addAll(g.params());
            }
            if (all.isEmpty()) throw new IllegalArgumentException("ZeroRedundancyOptimizer: optimizer got an empty parameter list");
            List<List<Tensor>> shards = new ArrayList<>();
            for (int r = 0; r < world; r++) shards.add(new ArrayList<>());
            for (Tensor p : all) shards.get(owner.get(p)).add(p);
            List<ParamGroup> localGroups = new ArrayList<>();
            List<Integer> toGlobalGroup = new ArrayList<>();
            List<Integer> toGlobalParam = new ArrayList<>();
            int index = 0;
            for (int g = 0; g < groups.size(); g++) {
                List<Tensor> mine = new ArrayList<>();
                for (Tensor p : groups.get(g).params()) {
                    if (owner.get(p) == rank) {
                        mine.add(p);
                        toGlobalParam.add(index);
                    }
                    index++;
                }
                if (mine.isEmpty()) continue;
                ParamGroup lg = ParamGroup.of(mine);
                groups.get(g).options().forEach(lg::set);
                localGroups.add(lg);
                toGlobalGroup.add(g);
            }
            return new Partition(owner, shards, localGroups, toGlobalGroup.stream().mapToInt(Integer::intValue).toArray(),
                    toGlobalParam.stream().mapToInt(Integer::intValue).toArray(), all.getFirst());
        }
    }
}
