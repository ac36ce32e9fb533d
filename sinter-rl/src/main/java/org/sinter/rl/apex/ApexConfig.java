package org.sinter.rl.apex;

/**
 * Ape-X DQN's settings (Horgan et al. 2018, "Distributed Prioritized Experience Replay").
 *
 * @param numActors actor threads, actor i exploring with ε_i = {@code epsilonBase}^(1 + {@code epsilonAlpha}·i/(N − 1))
 * @param epsilonBase ε of the most exploratory actor (0.4 in the paper)
 * @param epsilonAlpha the exponent's spread (7 in the paper)
 * @param shards replay shards, each with its own sum tree and lock
 * @param bufferSize replay capacity over all shards
 * @param chunkSize transitions an actor gathers, scores and sends at once (the paper's local buffer, 50)
 * @param actorSyncEvery environment steps between an actor's weight refreshes (the paper's 400 frames)
 * @param learningStarts transitions in the replay before the learner starts
 * @param stepsPerUpdate environment steps per learner update: the replay ratio is held near batchSize / stepsPerUpdate
 *                       (actors wait when they run ahead, the learner when it does), whatever the core count
 * @param maxLead learner updates the actors may run ahead of before they wait
 * @param batchSize learner minibatch
 * @param learningRate Adam's learning rate
 * @param gamma discount
 * @param nStep n of the n-step targets
 * @param priorityAlpha α of the priorities p^α
 * @param priorityBeta β of the importance weights (fixed, as in the paper)
 * @param targetUpdateEvery learner updates between target-network copies
 * @param publishEvery learner updates between weight broadcasts to the actors
 * @param hidden hidden widths of the dueling Q-network
 * @param totalTimesteps environment steps over all actors at most
 * @param evalEpisodes greedy episodes the learner's evaluator plays at each evaluation
 * @param evalEvery environment steps between evaluations
 */
public record ApexConfig(int numActors, double epsilonBase, double epsilonAlpha, int shards, int bufferSize, int chunkSize, int actorSyncEvery,
                         int learningStarts, int stepsPerUpdate, int maxLead, int batchSize, double learningRate, double gamma, int nStep,
                         double priorityAlpha, double priorityBeta, int targetUpdateEvery, int publishEvery, int[] hidden, long totalTimesteps,
                         int evalEpisodes, int evalEvery) implements java.io.Serializable {
    public ApexConfig {
        if (numActors <= 0 || shards <= 0 || bufferSize < shards || chunkSize <= 0 || actorSyncEvery <= 0 || stepsPerUpdate <= 0 || maxLead <= 0
                || batchSize <= 0 || nStep <= 0 || targetUpdateEvery <= 0 || publishEvery <= 0 || totalTimesteps <= 0 || evalEpisodes <= 0 || evalEvery <= 0) {
            throw new IllegalArgumentException("ApexConfig: counts must be positive (and bufferSize at least shards): numActors " + numActors
                    + ", shards " + shards + ", bufferSize " + bufferSize + ", chunkSize " + chunkSize + ", batchSize " + batchSize);
        }
        if (!(epsilonBase > 0 && epsilonBase <= 1)) throw new IllegalArgumentException("ApexConfig: epsilonBase must lie in (0, 1], got " + epsilonBase);
        if (learningStarts < batchSize) throw new IllegalArgumentException("ApexConfig: learningStarts " + learningStarts + " is below the batch size " + batchSize);
        hidden = hidden.clone();
    }

    /** CartPole-v1: the paper's structure (ε schedule, α 0.6, β 0.4, 3-step double dueling DQN) at DQN's CartPole scale. */
    public static ApexConfig cartPole(int numActors) {
        return new ApexConfig(numActors, 0.4, 7, 4, 50_000, 50, 400, 5_000, 4, 25, 64, 5e-4, 0.99, 3, 0.6, 0.4, 250, 10,
                new int[] {120, 84}, 200_000, 10, 5_000);
    }

    /** ε of actor {@code i}: 0.4^(1 + 7·i/(N − 1)); a lone actor explores with the base ε. */
    public double epsilon(int i) {
        if (i < 0 || i >= numActors) throw new IndexOutOfBoundsException("ApexConfig: actor " + i + " of " + numActors);
        return numActors == 1 ? epsilonBase : Math.pow(epsilonBase, 1 + epsilonAlpha * i / (numActors - 1));
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    public ApexConfig withNumActors(int n) {
        return new ApexConfig(n, epsilonBase, epsilonAlpha, shards, bufferSize, chunkSize, actorSyncEvery, learningStarts, stepsPerUpdate, maxLead,
                batchSize, learningRate, gamma, nStep, priorityAlpha, priorityBeta, targetUpdateEvery, publishEvery, hidden, totalTimesteps, evalEpisodes, evalEvery);
    }

    public ApexConfig withTotalTimesteps(long total) {
        return new ApexConfig(numActors, epsilonBase, epsilonAlpha, shards, bufferSize, chunkSize, actorSyncEvery, learningStarts, stepsPerUpdate, maxLead,
                batchSize, learningRate, gamma, nStep, priorityAlpha, priorityBeta, targetUpdateEvery, publishEvery, hidden, total, evalEpisodes, evalEvery);
    }

    public ApexConfig withLearningStarts(int steps) {
        return new ApexConfig(numActors, epsilonBase, epsilonAlpha, shards, bufferSize, chunkSize, actorSyncEvery, steps, stepsPerUpdate, maxLead,
                batchSize, learningRate, gamma, nStep, priorityAlpha, priorityBeta, targetUpdateEvery, publishEvery, hidden, totalTimesteps, evalEpisodes, evalEvery);
    }

    public ApexConfig withEvaluation(int episodes, int every) {
        return new ApexConfig(numActors, epsilonBase, epsilonAlpha, shards, bufferSize, chunkSize, actorSyncEvery, learningStarts, stepsPerUpdate, maxLead,
                batchSize, learningRate, gamma, nStep, priorityAlpha, priorityBeta, targetUpdateEvery, publishEvery, hidden, totalTimesteps, episodes, every);
    }
}
