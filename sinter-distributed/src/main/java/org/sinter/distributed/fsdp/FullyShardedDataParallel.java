package org.sinter.distributed.fsdp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sinter.DType;
import org.sinter.GradMode;
import org.sinter.Tensor;
import org.sinter.distributed.ProcessGroup;
import org.sinter.distributed.ReduceOp;
import org.sinter.distributed.Work;
import org.sinter.nn.Module;
import org.sinter.nn.Sequential;

/**
 * ZeRO stage 3, fully sharded data parallelism (Rajbhandari et al. 2020; PyTorch's
 * {@code FullyShardedDataParallel} with its FULL_SHARD strategy). One instance is one unit: the
 * wrapped module's parameters are laid out in one flat buffer, padded to a multiple of the group
 * size, of which each rank keeps only its 1/world slice, {@link #parameters()}'s single
 * {@code flatParam}. Build the optimizer over the model's parameters as usual: it then sees the
 * shards only, so its state is sharded too.
 *
 * <ul>
 *   <li>Forward all-gathers the flat buffer into the wrapped module's parameters (their storage is
 *       refilled in place), runs the module and frees the storage again ({@code Storage.resize(0)}).
 *   <li>A hook on the output's gradient gathers the parameters again just before the module's
 *       backward, which reads them through the same storage autograd saved.
 *   <li>When the last of the unit's parameters has its gradient, the flat gradient is
 *       reduce-scattered (averaged over the ranks) into the shard's gradient, the full gradients
 *       are dropped and the storage freed: between steps a rank holds its shard of the
 *       parameters, gradients and optimizer state, and at any moment only the full parameters of
 *       the units computing.
 * </ul>
 *
 * <p>Wrap the blocks of a model one by one ({@link #wrapChildren}) so that only one block is
 * gathered at a time (two with {@link Prefetch}, which gathers the next unit while the current
 * one computes); the ranks must run the same units in the same order, and every parameter of
 * a unit must take part in each backward (as plain DDP requires without unused-parameter search).
 * The wrapped module's parameters hold no data outside forward and backward: read them with
 * {@link #fullStateDict()}. Buffers (batch norm statistics) stay per rank, not sharded.
 */
public final class FullyShardedDataParallel extends Module {
    private final Module module;
    private final ProcessGroup group;
    private final GatheredMemory meter;
    private final Prefetch prefetch;
    private final List<String> names = new ArrayList<>();
    private final List<Tensor> params = new ArrayList<>();
    private final long[] offsets;
    private final DType dtype;
    private final int shardNumel;
    /** The padded flat buffer the wrapped parameters are views of; its storage is empty while released. */
    private final Tensor full;
    /** This rank's slice of {@link #full}: the parameter the optimizer updates. */
    private final Tensor shard;
    private boolean gathered;
    /** The all-gather issued ahead of this unit's use ({@link Prefetch}), or null. */
    private Work pending;
    /** The shard's version when {@link #pending} was issued: a later step makes the gather stale. */
    private int pendingVersion;
    /** Parameters whose gradient the current backward has completed. */
    private int ready;

    /** Shards {@code module} over {@code group}; rank 0's values are the starting point of every rank. */
    public FullyShardedDataParallel(Module module, ProcessGroup group) {
        this(module, group, new GatheredMemory());
    }

    /** As above, counting the gathered parameters in {@code meter} (shared by a model's units). */
    public FullyShardedDataParallel(Module module, ProcessGroup group, GatheredMemory meter) {
        this(module, group, meter, Prefetch.none());
    }

    /** As above, gathering the units sharing {@code prefetch} ahead of their use as it says. */
    public FullyShardedDataParallel(Module module, ProcessGroup group, GatheredMemory meter, Prefetch prefetch) {
        this.module = module;
        this.group = group;
        this.meter = meter;
        this.prefetch = prefetch;
        module.namedParameters().forEach((k, v) -> {
            names.add(k);
            params.add(v);
        });
        if (params.isEmpty()) throw new IllegalArgumentException("FullyShardedDataParallel: " + describe(module) + " has no parameters to shard");
        dtype = params.getFirst().dtype();
        offsets = new long[params.size() + 1];
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p.dtype() != dtype) {
                throw new IllegalArgumentException("FullyShardedDataParallel: " + describe(module) + " mixes dtypes: parameter '" + names.get(i)
                        + "' is " + p.dtype() + ", '" + names.getFirst() + "' is " + dtype + " (one flat buffer per unit needs one dtype)");
            }
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException("FullyShardedDataParallel: parameter '" + names.get(i) + "' of " + describe(module)
                        + " does not require grad; freeze parameters outside the sharded units");
            }
            offsets[i + 1] = offsets[i] + p.numel();
        }
        int world = group.size();
        long total = offsets[params.size()];
        long perRank = (total + world - 1) / world;
        if (perRank * world > Integer.MAX_VALUE) throw new IllegalArgumentException("FullyShardedDataParallel: " + describe(module) + " is too large for one flat buffer");
        shardNumel = (int) perRank;
        full = Tensor.zeros(dtype, shardNumel * world);
        try (var _ = GradMode.set(false)) {
            for (int i = 0; i < params.size(); i++) full.narrow(0, (int) offsets[i], (int) params.get(i).numel()).copy_(params.get(i).reshape(-1));
        }
        group.broadcast(full, 0); // every rank starts from rank 0's values, as DDP does
        shard = full.narrow(0, group.rank() * shardNumel, shardNumel).clone().requiresGrad(true);
        registerParameter("flatParam", shard);
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            p.setData(full.narrow(0, (int) offsets[i], (int) p.numel()).view(p.shape()));
            p.registerPostAccumulateGradHook(t -> onGradientReady());
        }
        gathered = true;
        meter.gathered(bytes());
        release();
    }

    /**
     * A copy of {@code model} whose children that own parameters are each wrapped as a unit, all
     * counted in {@code meter}; the others (activations) are kept as they are.
     */
    public static Sequential wrapChildren(Sequential model, ProcessGroup group, GatheredMemory meter) {
        return wrapChildren(model, group, meter, Prefetch.none());
    }

    /** As above, the units sharing {@code prefetch}. */
    public static Sequential wrapChildren(Sequential model, ProcessGroup group, GatheredMemory meter, Prefetch prefetch) {
        Sequential out = new Sequential();
        for (Module child : model) out.add(child.parameters().isEmpty() ? child : new FullyShardedDataParallel(child, group, meter, prefetch));
        return out;
    }

    /** The module this unit shards. */
    public Module module() { return module; }

    /** This rank's shard of the flat parameter (what the optimizer updates). */
    public Tensor flatParam() { return shard; }

    /** Elements of the unit's parameters, without the padding. */
    public long unshardedNumel() { return offsets[params.size()]; }

    @Override
    public Tensor forward(Tensor input) {
        checkPreviousBackward();
        gather();
        FullyShardedDataParallel next = prefetch.nextInForward(this);
        if (next != null) next.gatherAhead();
        Tensor out;
        try {
            out = module.forward(input);
        } finally {
            release();
        }
        if (GradMode.isEnabled() && out.requiresGrad()) {
            // Runs when the output's gradient is known, just before the unit's own backward nodes.
            out.registerHook(g -> {
                gather();
                FullyShardedDataParallel previous = prefetch.nextInBackward(this);
                if (previous != null) previous.gatherAhead();
                return null;
            });
        }
        return out;
    }

    private void checkPreviousBackward() {
        if (ready == 0) return;
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) if (params.get(i).grad() == null) missing.add(names.get(i));
        ready = 0;
        for (Tensor p : params) p.setGrad(null);
        throw new IllegalStateException("FullyShardedDataParallel: the previous backward gave gradients to only " + (params.size() - missing.size())
                + " of the " + params.size() + " parameters of " + describe(module) + " (none for " + missing
                + "); every parameter of a unit must take part in each backward, or its gradient cannot be reduce-scattered");
    }

    /** Refills the wrapped parameters' storage with every rank's shard, or waits for the gather issued ahead. */
    private void gather() {
        if (pending != null) {
            Work w = pending;
            pending = null;
            w.await();
            if (pendingVersion == shard.storage().version()) return;
            release(); // the shard was updated after the gather was issued
        }
        if (gathered) return;
        full.storage().resize(shardNumel * group.size());
        group.allGatherIntoSavedTensor(full, shard.detach());
        gathered = true;
        meter.gathered(bytes());
    }

    /**
     * Issues this unit's all-gather without waiting for it (the communication thread fills the
     * storage while the caller computes); {@link #gather} waits for it. The storage is allocated
     * here, on the caller's thread, before the gather writes it.
     */
    private void gatherAhead() {
        if (gathered) return;
        full.storage().resize(shardNumel * group.size());
        pendingVersion = shard.storage().version();
        pending = group.allGatherIntoSavedTensorAsync(full, shard.detach());
        gathered = true;
        meter.gathered(bytes());
    }

    /** Frees the wrapped parameters' storage; the tensors (and autograd's views of them) stay, empty. */
    private void release() {
        if (!gathered || pending != null) return;
        full.storage().resize(0);
        gathered = false;
        meter.released(bytes());
    }

    private long bytes() {
        return (long) shardNumel * group.size() * dtype.itemSize();
    }

    /** Called as each parameter's gradient is complete; the last one reduce-scatters the unit's gradient. */
    private void onGradientReady() {
        if (++ready < params.size()) return;
        ready = 0;
        Tensor flat = Tensor.zeros(dtype, shardNumel * group.size());
        try (var _ = GradMode.set(false)) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                flat.narrow(0, (int) offsets[i], (int) p.numel()).copy_(p.grad().reshape(-1));
                p.setGrad(null);
            }
            List<Tensor> blocks = new ArrayList<>();
            for (int r = 0; r < group.size(); r++) blocks.add(flat.narrow(0, r * shardNumel, shardNumel));
            Tensor mine = Tensor.zeros(dtype, shardNumel);
            group.reduceScatter(mine, blocks, ReduceOp.AVG);
            if (shard.grad() == null) shard.setGrad(mine);
            else shard.grad().add_(mine); // accumulation over several backwards
        }
        release();
    }

    /**
     * The wrapped module's state with full parameters (a collective: every rank gathers), keyed as
     * the module's own {@code stateDict()}.
     */
    public Map<String, Tensor> fullStateDict() {
        boolean was = gathered;
        gather();
        try {
            Map<String, Tensor> out = new LinkedHashMap<>();
            module.stateDict().forEach((k, v) -> out.put(k, v.detach().clone()));
            return out;
        } finally {
            if (!was) release();
        }
    }

    @Override
    public Module train(boolean mode) {
        module.train(mode);
        return super.train(mode);
    }

    @Override
    protected String extraRepr() {
        return describe(module) + ", " + unshardedNumel() + " parameters, " + shardNumel + " per rank";
    }

    private static String describe(Module m) {
        String s = m.toString();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + "...";
    }
}
