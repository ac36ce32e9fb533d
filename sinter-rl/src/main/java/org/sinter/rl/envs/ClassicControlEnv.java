package org.sinter.rl.envs;

import org.sinter.Generator;
import org.sinter.rl.Env;
import org.sinter.rl.ResetResult;
import org.sinter.rl.StepResult;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Space;

/**
 * What the classic-control environments share: the seeded random stream, the action check (an
 * invalid action names the environment and its action space), and the rule that a terminated
 * episode must be reset before stepping again. Subclasses keep their state in doubles and give
 * observations rounded to float32, as Gymnasium's float32 observation arrays are.
 *
 * <p>The random stream is Java's (via {@link Generator}), not NumPy's PCG64: a seed repeats
 * exactly within Sinter, but draws the same numbers as Gymnasium only where the test sets the state.
 */
public abstract class ClassicControlEnv<A> implements Env<double[], A>, org.sinter.rl.Snapshottable {
    private final String id;
    private final Box observationSpace;
    private final Space<A> actionSpace;
    private Generator generator;
    private boolean needsReset = true;

    protected ClassicControlEnv(String id, Box observationSpace, Space<A> actionSpace) {
        this.id = id;
        this.observationSpace = observationSpace;
        this.actionSpace = actionSpace;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final Box observationSpace() {
        return observationSpace;
    }

    @Override
    public final Space<A> actionSpace() {
        return actionSpace;
    }

    /** Draws a new episode's initial state from {@code generator}. */
    protected abstract void resetState(Generator generator);

    /** The physical state in full precision (what {@link #snapshot} saves). */
    protected abstract double[] physicalState();

    /** Restores what {@link #physicalState} returned. */
    protected abstract void restorePhysicalState(double[] state);

    /** [needs reset, has a generator, generator state (5), the physical state's doubles as raw bits]. */
    @Override
    public final long[] snapshot() {
        double[] phys = physicalState();
        long[] out = new long[7 + phys.length];
        out[0] = needsReset ? 1 : 0;
        out[1] = generator == null ? 0 : 1;
        if (generator != null) System.arraycopy(generator.state(), 0, out, 2, 5);
        for (int i = 0; i < phys.length; i++) out[7 + i] = Double.doubleToRawLongBits(phys[i]);
        return out;
    }

    @Override
    public final void restore(long[] state) {
        int n = physicalState().length;
        if (state.length != 7 + n) throw new IllegalArgumentException(id + ": a saved state of " + state.length + " values, expected " + (7 + n));
        needsReset = state[0] != 0;
        if (state[1] != 0) {
            generator = new Generator(0);
            generator.setState(java.util.Arrays.copyOfRange(state, 2, 7));
        } else {
            generator = null;
        }
        double[] phys = new double[n];
        for (int i = 0; i < n; i++) phys[i] = Double.longBitsToDouble(state[7 + i]);
        restorePhysicalState(phys);
    }

    /** The current state as an observation. */
    protected abstract double[] observation();

    /** Advances the dynamics by one step for a valid action. */
    protected abstract StepResult<double[]> advance(A action);

    @Override
    public final ResetResult<double[]> reset(long seed) {
        generator = new Generator(seed);
        return reset();
    }

    @Override
    public final ResetResult<double[]> reset() {
        // Gymnasium seeds from OS entropy when reset is first called without a seed.
        if (generator == null) generator = new Generator(System.nanoTime() ^ System.identityHashCode(this));
        resetState(generator);
        needsReset = false;
        return new ResetResult<>(observation());
    }

    @Override
    public final StepResult<double[]> step(A action) {
        if (!accepts(action)) {
            throw new IllegalArgumentException(id() + ": action " + describe(action) + " is not in the action space " + actionSpace());
        }
        if (needsReset) {
            throw new IllegalStateException(id() + ": step called before reset, or after the episode terminated; call reset first");
        }
        StepResult<double[]> result = advance(action);
        if (result.terminated()) needsReset = true;
        return result;
    }

    /**
     * Whether {@code action} may be passed to {@link #step}: by default, whether the action space
     * contains it. Continuous environments widen this, since Gymnasium clips their actions.
     */
    protected boolean accepts(A action) {
        return actionSpace().contains(action);
    }

    private static String describe(Object action) {
        return action instanceof double[] a ? java.util.Arrays.toString(a) : String.valueOf(action);
    }

    /** Rounds to float32, as Gymnasium's {@code np.array(state, dtype=np.float32)} does. */
    protected static double[] float32(double... values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }

    /** A uniform draw from [low, high), NumPy's {@code uniform(low, high)}. */
    protected static double uniform(Generator generator, double low, double high) {
        return low + (high - low) * generator.random().nextDouble();
    }
}
