package org.sinter.distributed;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.sinter.DType;
import org.sinter.Device;
import org.sinter.Tensor;
import org.sinter.distributed.collectives.AllReduce;
import org.sinter.distributed.collectives.Buf;
import org.sinter.distributed.collectives.Comm;
import org.sinter.distributed.collectives.Reduction;
import org.sinter.distributed.collectives.Ring;
import org.sinter.distributed.collectives.Tree;
import org.sinter.distributed.store.DistributedTimeoutException;
import org.sinter.distributed.store.PrefixStore;
import org.sinter.distributed.store.Store;
import org.sinter.distributed.transport.Mesh;
import org.sinter.distributed.transport.PeerFailureException;

/**
 * A group of ranks and the collectives among them (PyTorch's {@code ProcessGroup}, with
 * {@code torch.distributed}'s names). Every rank of the group must call the same collectives in
 * the same order. Tensors are CPU and contiguous; collectives write them in place. Each
 * collective has a synchronous form and an {@code ...Async} form returning a {@link Work}; they
 * run one at a time on the group's communication thread. A failure (a peer gone, a timeout)
 * breaks the group: the error names the rank, is published in the store for the other ranks'
 * errors, and every later call fails with it.
 */
public final class ProcessGroup implements AutoCloseable {
    private final Store store;
    private final int rank;
    private final int size;
    private final int[] globalRanks;
    private final ProcessGroupOptions options;
    private final Comm comm;
    private final ExecutorService thread;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private int groupsCreated;
    private volatile RuntimeException failure;

    /**
     * Joins a group of {@code size} ranks through {@code store} (whose keys this group prefixes
     * with {@code name}); blocks until every rank has connected or the timeout passed.
     */
    public static ProcessGroup create(Store store, String name, int rank, int size, ProcessGroupOptions options) {
        int[] ranks = new int[size];
        Arrays.setAll(ranks, i -> i);
        return new ProcessGroup(new PrefixStore(name, store), rank, ranks, options);
    }

    private ProcessGroup(Store store, int rank, int[] globalRanks, ProcessGroupOptions options) {
        if (rank < 0 || rank >= globalRanks.length) throw new IllegalArgumentException("process group: rank " + rank + " outside 0.." + (globalRanks.length - 1));
        this.store = store;
        this.rank = rank;
        this.size = globalRanks.length;
        this.globalRanks = globalRanks;
        this.options = options;
        this.comm = new Comm(rank, size, Mesh.connect(store, rank, size, options.transport(), options.advertiseHost(), options.timeout()));
        this.thread = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("sinter-pg-rank" + rank).unstarted(r));
    }

    /** Closes {@code resource} (a store, a store server) with the group. */
    void own(AutoCloseable resource) {
        owned.add(resource);
    }

    public int rank() { return rank; }
    public int size() { return size; }
    public ProcessGroupOptions options() { return options; }

    /** The transport to each peer ({@code "tcp"}, {@code "shm"}; {@code "self"} at this rank). */
    public List<String> transports() {
        List<String> out = new ArrayList<>();
        for (int p = 0; p < size; p++) out.add(p == rank ? "self" : comm.link(p).kind());
        return out;
    }

    // ------------------------------------------------------------------ collectives

    public void allReduce(Tensor t) { allReduceAsync(t, ReduceOp.SUM).await(); }
    public void allReduce(Tensor t, ReduceOp op) { allReduceAsync(t, op).await(); }
    public Work allReduceAsync(Tensor t, ReduceOp op) { return allReduceAsync(t, op, options.allReduce()); }

    /** Reduces {@code t} across the group in place with the given algorithm. */
    public Work allReduceAsync(Tensor t, ReduceOp op, AllReduce algorithm) {
        Buf b = buf("allReduce", t);
        return submit("allReduce", () -> {
            algorithm.run(comm, b, op);
            if (op == ReduceOp.AVG) Reduction.finishAverage(b, size);
            t.storage().bumpVersion();
        });
    }

    public void broadcast(Tensor t, int src) { broadcastAsync(t, src).await(); }

    /** Copies rank {@code src}'s {@code t} into every rank's {@code t}. */
    public Work broadcastAsync(Tensor t, int src) {
        checkRank("broadcast", "src", src);
        Buf b = buf("broadcast", t);
        return submit("broadcast", () -> {
            Tree.broadcast(comm, b, src);
            t.storage().bumpVersion();
        });
    }

    public void reduce(Tensor t, int dst, ReduceOp op) { reduceAsync(t, dst, op).await(); }

    /** Reduces every rank's {@code t} into {@code t} on rank {@code dst}; the others' tensors are left unchanged. */
    public Work reduceAsync(Tensor t, int dst, ReduceOp op) {
        checkRank("reduce", "dst", dst);
        Buf b = buf("reduce", t);
        return submit("reduce", () -> {
            Buf acc = rank == dst ? b : Buf.scratch(b.dtype(), b.count());
            Tree.reduce(comm, b, acc, dst, op);
            if (rank == dst) {
                if (op == ReduceOp.AVG) Reduction.finishAverage(b, size);
                t.storage().bumpVersion();
            }
        });
    }

    public void allGather(List<Tensor> out, Tensor in) { allGatherAsync(out, in).await(); }

    /** Fills {@code out.get(j)} with rank j's {@code in}; the j-th sizes may differ but must agree on every rank. */
    public Work allGatherAsync(List<Tensor> out, Tensor in) {
        Buf src = buf("allGather", in);
        Buf[] dst = bufs("allGather", out, in.dtype());
        if (dst[rank].count() != src.count()) {
            throw new IllegalArgumentException("allGather: output " + rank + " has " + dst[rank].count() + " elements but the input has " + src.count());
        }
        return submit("allGather", () -> {
            long[] counts = counts(dst);
            long[] off = Ring.offsets(counts);
            Buf flat = Buf.scratch(in.dtype(), off[size]);
            flat.slice(off[rank], counts[rank]).copyFrom(src);
            Ring.allGather(comm, flat, counts);
            for (int j = 0; j < size; j++) dst[j].copyFrom(flat.slice(off[j], counts[j]));
            for (Tensor o : out) o.storage().bumpVersion();
        });
    }

    public void allGatherIntoTensor(Tensor out, Tensor in) { allGatherIntoTensorAsync(out, in).await(); }

    /** {@code out} holds the group's inputs one after another (size × {@code in.numel()} elements). */
    public Work allGatherIntoTensorAsync(Tensor out, Tensor in) {
        return allGatherIntoTensorAsync(out, in, true);
    }

    /**
     * {@link #allGatherIntoTensor} that leaves {@code out}'s version counter alone: for refilling a
     * buffer whose contents autograd saved before it was freed (fully sharded data parallelism puts
     * back the same values), where a bump would read as an in-place modification.
     */
    public void allGatherIntoSavedTensor(Tensor out, Tensor in) { allGatherIntoSavedTensorAsync(out, in).await(); }

    /** {@link #allGatherIntoSavedTensor} as an asynchronous handle (fully sharded data parallelism's prefetch). */
    public Work allGatherIntoSavedTensorAsync(Tensor out, Tensor in) { return allGatherIntoTensorAsync(out, in, false); }

    private Work allGatherIntoTensorAsync(Tensor out, Tensor in, boolean bumpVersion) {
        Buf src = buf("allGatherIntoTensor", in);
        Buf dst = buf("allGatherIntoTensor", out);
        if (dst.dtype() != src.dtype() || dst.count() != src.count() * size) {
            throw new IllegalArgumentException("allGatherIntoTensor: output " + out.describe() + " must hold " + size + " × " + in.describe());
        }
        return submit("allGatherIntoTensor", () -> {
            long[] counts = Ring.evenCounts(dst.count(), size);
            dst.slice(src.count() * rank, src.count()).copyFrom(src);
            Ring.allGather(comm, dst, counts);
            if (bumpVersion) out.storage().bumpVersion();
        });
    }

    public void reduceScatter(Tensor out, List<Tensor> in, ReduceOp op) { reduceScatterAsync(out, in, op).await(); }

    /** {@code out} on rank j gets the reduction over ranks of their {@code in.get(j)}. */
    public Work reduceScatterAsync(Tensor out, List<Tensor> in, ReduceOp op) {
        Buf dst = buf("reduceScatter", out);
        Buf[] src = bufs("reduceScatter", in, out.dtype());
        if (src[rank].count() != dst.count()) {
            throw new IllegalArgumentException("reduceScatter: input " + rank + " has " + src[rank].count() + " elements but the output has " + dst.count());
        }
        return submit("reduceScatter", () -> {
            long[] counts = counts(src);
            long[] off = Ring.offsets(counts);
            Buf flat = Buf.scratch(out.dtype(), off[size]);
            for (int j = 0; j < size; j++) flat.slice(off[j], counts[j]).copyFrom(src[j]);
            Ring.reduceScatter(comm, flat, counts, op);
            dst.copyFrom(flat.slice(off[rank], counts[rank]));
            if (op == ReduceOp.AVG) Reduction.finishAverage(dst, size);
            out.storage().bumpVersion();
        });
    }

    public void gather(Tensor in, List<Tensor> gatherList, int dst) { gatherAsync(in, gatherList, dst).await(); }

    /** Rank {@code dst} receives every rank's {@code in} into {@code gatherList} (ignored elsewhere; may be null). */
    public Work gatherAsync(Tensor in, List<Tensor> gatherList, int dst) {
        checkRank("gather", "dst", dst);
        Buf src = buf("gather", in);
        Buf[] outs = rank == dst ? bufs("gather", gatherList, in.dtype()) : null;
        return submit("gather", () -> {
            if (rank != dst) {
                comm.send(dst, src);
                return;
            }
            for (int j = 0; j < size; j++) {
                if (j == rank) outs[j].copyFrom(src);
                else comm.recv(j, outs[j]);
            }
            for (Tensor t : gatherList) t.storage().bumpVersion();
        });
    }

    public void scatter(Tensor out, List<Tensor> scatterList, int src) { scatterAsync(out, scatterList, src).await(); }

    /** Rank j's {@code out} receives {@code scatterList.get(j)} of rank {@code src} (the list is ignored elsewhere). */
    public Work scatterAsync(Tensor out, List<Tensor> scatterList, int src) {
        checkRank("scatter", "src", src);
        Buf dst = buf("scatter", out);
        Buf[] ins = rank == src ? bufs("scatter", scatterList, out.dtype()) : null;
        return submit("scatter", () -> {
            if (rank != src) {
                comm.recv(src, dst);
            } else {
                List<Future<?>> sends = new ArrayList<>();
                for (int j = 0; j < size; j++) if (j != rank) sends.add(comm.sendAsync(j, ins[j]));
                dst.copyFrom(ins[rank]);
                for (Future<?> f : sends) comm.await(f);
            }
            out.storage().bumpVersion();
        });
    }

    public void allToAll(List<Tensor> out, List<Tensor> in) { allToAllAsync(out, in).await(); }

    /** {@code out.get(j)} receives rank j's {@code in.get(rank)}; sizes may differ per pair. */
    public Work allToAllAsync(List<Tensor> out, List<Tensor> in) {
        if (in.isEmpty()) throw new IllegalArgumentException("allToAll: expected " + size + " input tensors, got 0");
        Buf[] ins = bufs("allToAll", in, in.get(0).dtype());
        Buf[] outs = bufs("allToAll", out, in.get(0).dtype());
        return submit("allToAll", () -> {
            List<Future<?>> sends = new ArrayList<>();
            for (int k = 1; k < size; k++) {
                int to = (rank + k) % size;
                sends.add(comm.sendAsync(to, ins[to]));
            }
            outs[rank].copyFrom(ins[rank]);
            for (int k = 1; k < size; k++) comm.recv((rank - k + size) % size, outs[(rank - k + size) % size]);
            for (Future<?> f : sends) comm.await(f);
            for (Tensor t : out) t.storage().bumpVersion();
        });
    }

    public void barrier() { barrierAsync().await(); }

    /** Dissemination barrier: ⌈log2 n⌉ rounds of one-byte messages. */
    public Work barrierAsync() {
        return submit("barrier", () -> {
            Buf token = Buf.scratch(DType.BOOL, 1), in = Buf.scratch(DType.BOOL, 1);
            for (int k = 1; k < size; k <<= 1) comm.sendRecv((rank + k) % size, token, (rank - k + size) % size, in);
        });
    }

    // ------------------------------------------------------------------ point to point

    /**
     * Sends {@code t} to rank {@code dst} ({@code dist.isend}). The send leaves in issue order
     * with this group's other operations but runs on the peer's send thread, so it never holds the
     * group's thread: two ranks may send to each other before either receives. The receiver must
     * post a receive of the same dtype and size; messages between two ranks arrive in the order sent.
     * {@code t} must not change until the returned work completes.
     */
    public Work isend(Tensor t, int dst) {
        checkRank("send", "dst", dst);
        if (dst == rank) throw new IllegalArgumentException("send: rank " + rank + " cannot send to itself");
        Buf b = buf("send", t);
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.execute(() -> {
            RuntimeException broken = failure;
            if (broken != null) {
                done.completeExceptionally(new IllegalStateException("rank " + rank + ": send on a broken process group: " + broken.getMessage(), broken));
                return;
            }
            long deadline = System.nanoTime() + options.timeout().toNanos();
            comm.sendDetached(dst, b, deadline).whenComplete((v, e) -> {
                if (e == null) done.complete(null);
                else done.completeExceptionally(e.getCause() instanceof RuntimeException r ? fail("send to rank " + dst, r) : e);
            });
        });
        return new Work(done);
    }

    public void send(Tensor t, int dst) { isend(t, dst).await(); }

    /** Receives into {@code t} what rank {@code src} sent ({@code dist.irecv}): same dtype and size. */
    public Work irecv(Tensor t, int src) {
        checkRank("recv", "src", src);
        if (src == rank) throw new IllegalArgumentException("recv: rank " + rank + " cannot receive from itself");
        Buf b = buf("recv", t);
        return submit("recv from rank " + src, () -> {
            comm.recv(src, b);
            t.storage().bumpVersion();
        });
    }

    public void recv(Tensor t, int src) { irecv(t, src).await(); }

    // ------------------------------------------------------------------ sub-groups

    /**
     * A group of some of this group's ranks ({@code dist.new_group}): every rank of this group
     * must call it with the same ranks, in the same order relative to other {@code newGroup}
     * calls; members get the new group (ranked by their position in {@code ranks}), others empty.
     */
    public Optional<ProcessGroup> newGroup(int... ranks) {
        int seq = ++groupsCreated;
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            checkRank("newGroup", "rank", sorted[i]);
            if (i > 0 && sorted[i] == sorted[i - 1]) throw new IllegalArgumentException("newGroup: rank " + sorted[i] + " listed twice");
        }
        int me = -1;
        for (int i = 0; i < ranks.length; i++) if (ranks[i] == rank) me = i;
        if (me < 0) return Optional.empty();
        int[] global = new int[ranks.length];
        for (int i = 0; i < ranks.length; i++) global[i] = globalRanks[ranks[i]];
        return Optional.of(new ProcessGroup(new PrefixStore("group" + seq, store), me, global, options));
    }

    // ------------------------------------------------------------------ plumbing

    private Work submit(String op, Runnable body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.execute(() -> {
            RuntimeException broken = failure;
            if (broken != null) {
                done.completeExceptionally(new IllegalStateException("rank " + rank + ": " + op + " on a broken process group: " + broken.getMessage(), broken));
                return;
            }
            try {
                comm.startOperation(options.timeout().toNanos());
                body.run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(fail(op, e));
            } catch (Error e) {
                done.completeExceptionally(e);
            }
        });
        return new Work(done);
    }

    /**
     * Records the failure, publishes it in the store as {@code failure/<rank>}, and closes the
     * links so that ranks waiting on this one fail now rather than at their timeout. When the
     * error is a peer that closed its connection, the peer may itself have failed because of
     * another rank: its published report, if it comes within a moment, is appended, so the chain
     * ends at the rank that died without a word.
     */
    private RuntimeException fail(String op, RuntimeException e) {
        String mine = "rank " + rank + " failed in " + op + ": " + e.getMessage();
        String cause = null;
        try {
            store.set("failure/" + rank, mine.getBytes(StandardCharsets.UTF_8));
            if (e instanceof PeerFailureException p) {
                store.waitFor(List.of("failure/" + p.rank()), java.time.Duration.ofSeconds(2));
                cause = new String(store.get("failure/" + p.rank()), StandardCharsets.UTF_8);
            }
        } catch (RuntimeException storeGone) {
            // No report (the peer died silently) or no store (its host died): the local error stands.
        }
        String msg = e.getMessage() + (cause != null ? " [" + cause + "]" : "");
        RuntimeException wrapped = e instanceof PeerFailureException p ? new PeerFailureException(p.rank(), msg, e)
                : e instanceof DistributedTimeoutException ? new DistributedTimeoutException(msg)
                : new IllegalStateException(msg, e);
        failure = wrapped;
        comm.close();
        return wrapped;
    }

    private void checkRank(String op, String what, int r) {
        if (r < 0 || r >= size) throw new IllegalArgumentException(op + ": " + what + " " + r + " is outside the group's ranks 0.." + (size - 1));
    }

    private static long[] counts(Buf[] bufs) {
        long[] c = new long[bufs.length];
        for (int i = 0; i < bufs.length; i++) c[i] = bufs[i].count();
        return c;
    }

    private Buf[] bufs(String op, List<Tensor> ts, DType dtype) {
        if (ts == null || ts.size() != size) {
            throw new IllegalArgumentException(op + ": expected a list of " + size + " tensors (one per rank), got " + (ts == null ? "null" : ts.size()));
        }
        Buf[] out = new Buf[size];
        for (int j = 0; j < size; j++) {
            out[j] = buf(op, ts.get(j));
            if (out[j].dtype() != dtype) throw new IllegalArgumentException(op + ": tensor " + j + " is " + out[j].dtype() + " but expected " + dtype);
        }
        return out;
    }

    /** The bytes of a contiguous CPU tensor, in place. */
    static Buf buf(String op, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": tensor is null");
        if (!t.device().equals(Device.CPU)) throw new IllegalArgumentException(op + ": expected a CPU tensor, got one on " + t.device());
        if (!t.isContiguous()) throw new IllegalArgumentException(op + ": tensors must be contiguous, got " + t.describe() + " with strides " + Arrays.toString(t.stride()));
        Object a = t.storage().array();
        MemorySegment all = switch (a) {
            case float[] f -> MemorySegment.ofArray(f);
            case double[] d -> MemorySegment.ofArray(d);
            case int[] i -> MemorySegment.ofArray(i);
            case long[] l -> MemorySegment.ofArray(l);
            case short[] s -> MemorySegment.ofArray(s);
            case byte[] b -> MemorySegment.ofArray(b);
            default -> throw new IllegalArgumentException(op + ": unsupported storage " + a.getClass().getSimpleName());
        };
        int es = t.dtype().itemSize();
        return new Buf(all.asSlice((long) t.storageOffset() * es, t.numel() * es), t.dtype());
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(options.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        comm.close();
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception ignored) {
                // Closing is best effort: the job is ending.
            }
        }
    }
}
