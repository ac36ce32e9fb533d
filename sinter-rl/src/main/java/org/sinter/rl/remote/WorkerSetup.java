package org.sinter.rl.remote;

import java.io.Serializable;

/**
 * What a worker process needs to build its rollout worker: its index among the workers, the seed of
 * its environment and sampling streams, the registered environment id ({@link org.sinter.rl.envs.Envs})
 * and the algorithm's settings record.
 */
public record WorkerSetup(int index, long seed, String envId, Serializable config) {}
