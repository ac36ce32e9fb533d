package org.sinter.rl;

/**
 * The one-environment loop state of the off-policy trainers (DQN, DDPG, TD3, SAC): the current
 * observation, the running episode's return, the environment step, and the finished episodes,
 * with {@link #save}/{@link #restore} so a run stopped between two steps continues exactly.
 */
public final class EpisodeLoop<A> {
    private final Env<double[], A> env;
    private final long seed;
    private double[] observation;
    private double episodeReturn;
    private long step;
    private EpisodeReturns returns;
    private EpisodeReturns.History earlier = EpisodeReturns.History.NONE;
    private boolean resumed;

    public EpisodeLoop(Env<double[], A> env, long seed) {
        this.env = env;
        this.seed = seed;
    }

    /** Starts the run (a seeded reset), or continues a restored one; returns its episode record with the earlier episodes in it. */
    public EpisodeReturns begin(int window, double stopReturn) {
        if (!resumed) {
            observation = env.reset(seed).observation();
            episodeReturn = 0;
            step = 0;
        }
        returns = new EpisodeReturns(window, stopReturn);
        returns.addAll(earlier);
        return returns;
    }

    public double[] observation() {
        return observation;
    }

    /** Environment steps taken. */
    public long step() {
        return step;
    }

    /** Steps the environment with {@code action} and counts the step. */
    public StepResult<double[]> act(A action) {
        StepResult<double[]> r = env.step(action);
        step++;
        return r;
    }

    /** Books the step's reward; at an episode's end records it and resets. True when the bar was first reached now. */
    public boolean finish(StepResult<double[]> r) {
        episodeReturn += r.reward();
        if (!r.done()) {
            observation = r.observation();
            return false;
        }
        boolean reached = returns.add(episodeReturn, step);
        episodeReturn = 0;
        observation = env.reset().observation();
        return reached;
    }

    public String envId() {
        return env.id();
    }

    /** The step, the observation, the running return, the environment's exact state and the finished episodes. */
    public void save(StateCodec.Writer w) {
        if (returns == null) throw new IllegalStateException(env.id() + ": nothing to save before training starts");
        w.putLong(step).putDoubles(observation).putDouble(episodeReturn).putLongs(Snapshottable.of(env, env.id())).putEpisodes(returns);
    }

    /** Restores what {@link #save} wrote; the next {@link #begin} continues from it. */
    public void restore(StateCodec.Reader r) {
        step = r.getLong();
        observation = r.getDoubles();
        episodeReturn = r.getDouble();
        Snapshottable.restore(env, r.getLongs(), env.id());
        earlier = r.getEpisodes();
        resumed = true;
    }
}
