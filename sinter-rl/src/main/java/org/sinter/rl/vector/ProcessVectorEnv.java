package org.sinter.rl.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.sinter.rl.Env;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.remote.ChildJvm;
import org.sinter.rl.remote.EnvServerMain;
import org.sinter.rl.remote.RemoteEnv;

/**
 * N copies of a registered environment, each in a child JVM of its own serving it over the
 * external-environment protocol ({@link EnvServerMain}), reached through {@link RemoteEnv} and
 * stepped concurrently by an {@link AsyncVectorEnv} (Gymnasium's process-backed
 * {@code AsyncVectorEnv}). Observations and rewards cross as shortest round-trip decimals, so a
 * seeded trajectory is {@link SyncVectorEnv}'s exactly. {@link #close} ends the children; they end
 * by themselves when this JVM exits, however it exits (their input closes with it). The copies'
 * state lives in the children, so {@link #snapshot} is refused: a run that must resume uses the
 * synchronous or threaded form.
 */
public final class ProcessVectorEnv<A> implements VectorEnv<double[], A> {
    /** How long a step or reset may take in a child before it counts as hung. */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
    /** How long the children have to start (a JVM on a loaded machine can take many seconds). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private interface Connector<A> {
        RemoteEnv<A> connect(int port) throws IOException;
    }

    private final String envId;
    private final List<ChildJvm> children;
    private final List<RemoteEnv<A>> remotes = new ArrayList<>();
    private final AsyncVectorEnv<double[], A> copies;

    private ProcessVectorEnv(String envId, int numEnvs, Connector<A> connector) {
        if (!Envs.IDS.contains(envId)) {
            throw new IllegalArgumentException("ProcessVectorEnv: the child processes build their environment by id, and " + envId + " is not one of " + Envs.IDS);
        }
        if (numEnvs <= 0) throw new IllegalArgumentException("ProcessVectorEnv: numEnvs must be positive, got " + numEnvs);
        this.envId = envId;
        List<CompletableFuture<ChildJvm>> starting = new ArrayList<>();
        for (int i = 0; i < numEnvs; i++) {
            String name = "environment process " + i + " (" + envId + ")";
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ChildJvm.start(name, EnvServerMain.class, List.of(envId), START_TIMEOUT);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        this.children = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<ChildJvm> f : starting) {
            try {
                children.add(f.join());
            } catch (CompletionException e) {
                if (failure == null) failure = new IllegalStateException("ProcessVectorEnv(" + envId + "): " + e.getCause().getMessage(), e.getCause());
            }
        }
        try {
            if (failure != null) throw failure;
            for (ChildJvm child : children) remotes.add(connector.connect(child.port()));
        } catch (IOException | RuntimeException e) {
            closeAll();
            throw e instanceof IOException io ? new UncheckedIOException("ProcessVectorEnv(" + envId + "): cannot connect to a child: " + io.getMessage(), io)
                    : (RuntimeException) e;
        }
        Iterator<RemoteEnv<A>> next = remotes.iterator();
        this.copies = new AsyncVectorEnv<>(next::next, numEnvs);
    }

    /** {@code numEnvs} processes of a discrete-action environment. */
    public static ProcessVectorEnv<Integer> discrete(String envId, int numEnvs) {
        return new ProcessVectorEnv<>(envId, numEnvs, port -> RemoteEnv.discrete(port, STEP_TIMEOUT));
    }

    /** {@code numEnvs} processes of a continuous-action environment. */
    public static ProcessVectorEnv<double[]> continuous(String envId, int numEnvs) {
        return new ProcessVectorEnv<>(envId, numEnvs, port -> RemoteEnv.continuous(port, STEP_TIMEOUT));
    }

    /** The child processes' ids, in copy order. */
    public List<Long> pids() {
        return children.stream().map(ChildJvm::pid).toList();
    }

    @Override
    public int numEnvs() {
        return copies.numEnvs();
    }

    @Override
    public Env<double[], A> env(int i) {
        return copies.env(i);
    }

    @Override
    public List<double[]> reset(long seed) {
        return copies.reset(seed);
    }

    @Override
    public VectorStep<double[]> step(List<A> actions) {
        return copies.step(actions);
    }

    @Override
    public List<long[]> snapshot() {
        throw new UnsupportedOperationException("ProcessVectorEnv(" + envId + "): the copies live in other processes, whose state cannot be saved, so the run cannot be resumed");
    }

    @Override
    public void restore(List<long[]> states) {
        throw new UnsupportedOperationException("ProcessVectorEnv(" + envId + "): the copies live in other processes, whose state cannot be restored");
    }

    /** Stops the stepping threads, says goodbye to each copy and ends the children. */
    @Override
    public void close() {
        copies.close();
        closeAll();
    }

    private void closeAll() {
        for (RemoteEnv<A> r : remotes) {
            try {
                r.close();
            } catch (IOException ignored) {
                // The child is ended next either way.
            }
        }
        for (ChildJvm c : children) c.close();
    }
}
