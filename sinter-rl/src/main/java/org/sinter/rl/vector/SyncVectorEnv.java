package org.sinter.rl.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.sinter.rl.Env;
import org.sinter.rl.ResetResult;
import org.sinter.rl.StepResult;

/**
 * N copies of an environment stepped one after another in the calling thread (Gymnasium's
 * {@code SyncVectorEnv}) with same-step auto-reset: when copy i's episode ends, its
 * terminal observation goes to {@link VectorStep#finalObservations()} and the returned observation
 * is already the first of the next episode. {@code reset(seed)} seeds copy i with {@code seed + i}.
 */
public final class SyncVectorEnv<O, A> implements VectorEnv<O, A> {
    private final List<Env<O, A>> envs = new ArrayList<>();

    public SyncVectorEnv(Supplier<? extends Env<O, A>> factory, int numEnvs) {
        if (numEnvs <= 0) throw new IllegalArgumentException("SyncVectorEnv: numEnvs must be positive, got " + numEnvs);
        for (int i = 0; i < numEnvs; i++) envs.add(factory.get());
    }

    @Override
    public int numEnvs() {
        return envs.size();
    }

    @Override
    public Env<O, A> env(int i) {
        return envs.get(i);
    }

    @Override
    public List<O> reset(long seed) {
        List<O> obs = new ArrayList<>(envs.size());
        for (int i = 0; i < envs.size(); i++) obs.add(resetCopy(i, seed));
        return obs;
    }

    O resetCopy(int i, long seed) {
        return envs.get(i).reset(seed + i).observation();
    }

    @Override
    public VectorStep<O> step(List<A> actions) {
        checkActions(actions, "SyncVectorEnv");
        List<CopyStep<O>> steps = new ArrayList<>(envs.size());
        for (int i = 0; i < envs.size(); i++) steps.add(stepCopy(i, actions.get(i)));
        return assemble(steps);
    }

    /** One copy's step with its same-step auto-reset: {@code observation} is the one to return. */
    record CopyStep<O>(O observation, StepResult<O> result) {}

    void checkActions(List<A> actions, String owner) {
        if (actions.size() != envs.size()) {
            throw new IllegalArgumentException(owner + "(" + envs.getFirst().id() + "): " + actions.size() + " actions for " + envs.size() + " environments");
        }
    }

    /** Steps copy i alone (touches nothing shared, so {@link AsyncVectorEnv} runs copies concurrently). */
    CopyStep<O> stepCopy(int i, A action) {
        StepResult<O> r = envs.get(i).step(action);
        return new CopyStep<>(r.done() ? envs.get(i).reset().observation() : r.observation(), r);
    }

    static <O> VectorStep<O> assemble(List<CopyStep<O>> steps) {
        int n = steps.size();
        List<O> obs = new ArrayList<>(n);
        List<O> finals = new ArrayList<>(n);
        double[] rewards = new double[n];
        boolean[] terminated = new boolean[n], truncated = new boolean[n];
        for (int i = 0; i < n; i++) {
            StepResult<O> r = steps.get(i).result();
            rewards[i] = r.reward();
            terminated[i] = r.terminated();
            truncated[i] = r.truncated();
            obs.add(steps.get(i).observation());
            finals.add(r.done() ? r.observation() : null);
        }
        return new VectorStep<>(obs, rewards, terminated, truncated, finals);
    }

    /** Every copy's exact state (each must be {@link org.sinter.rl.Snapshottable}), for a resumable run. */
    @Override
    public List<long[]> snapshot() {
        List<long[]> out = new ArrayList<>(envs.size());
        for (Env<O, A> e : envs) out.add(org.sinter.rl.Snapshottable.of(e, "SyncVectorEnv(" + e.id() + ")"));
        return out;
    }

    /** Restores the copies from {@link #snapshot}. */
    @Override
    public void restore(List<long[]> states) {
        if (states.size() != envs.size()) {
            throw new IllegalArgumentException("SyncVectorEnv(" + envs.getFirst().id() + "): " + states.size() + " saved states for " + envs.size() + " environments");
        }
        for (int i = 0; i < envs.size(); i++) org.sinter.rl.Snapshottable.restore(envs.get(i), states.get(i), "SyncVectorEnv(" + envs.get(i).id() + ")");
    }
}
