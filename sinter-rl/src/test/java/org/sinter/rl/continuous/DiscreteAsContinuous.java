package org.sinter.rl.continuous;

import org.sinter.rl.Env;
import org.sinter.rl.ResetResult;
import org.sinter.rl.StepResult;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.spaces.Space;

/** CartPole behind a continuous-typed interface, to check that the trainers refuse a Discrete action space. */
final class DiscreteAsContinuous implements Env<double[], double[]> {
    private final Env<double[], Integer> inner = Envs.makeDiscrete("CartPole-v1");

    @Override
    public String id() {
        return inner.id();
    }

    @Override
    public Space<double[]> observationSpace() {
        return inner.observationSpace();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Override
    public Space<double[]> actionSpace() {
        return (Space) inner.actionSpace();
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
    public StepResult<double[]> step(double[] action) {
        throw new UnsupportedOperationException();
    }
}
