package org.sinter.rl;

import org.sinter.rl.envs.Envs;
import org.sinter.rl.spaces.Space;

/** CartPole-v1 under another id, optionally throwing at a given step: for the failure and refusal tests of the distributed learners. */
public final class TestCartPole implements Env<double[], Integer> {
    private final Env<double[], Integer> inner = Envs.makeDiscrete("CartPole-v1");
    private final String id;
    private final int failAt;
    private int steps;

    private TestCartPole(String id, int failAt) {
        this.id = id;
        this.failAt = failAt;
    }

    /** CartPole whose {@code step}-th step throws "simulator crashed". */
    public static TestCartPole failingAt(int step) {
        return new TestCartPole("Failing", step);
    }

    /** CartPole under an id no registry knows. */
    public static TestCartPole named(String id) {
        return new TestCartPole(id, -1);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Space<double[]> observationSpace() {
        return inner.observationSpace();
    }

    @Override
    public Space<Integer> actionSpace() {
        return inner.actionSpace();
    }

    @Override
    public ResetResult<double[]> reset(long seed) {
        return inner.reset(seed);
    }

    @Override
    public ResetResult<double[]> reset() {
        return inner.reset();
    }

    @Override
    public StepResult<double[]> step(Integer action) {
        if (++steps == failAt) throw new IllegalStateException("simulator crashed");
        return inner.step(action);
    }
}
