package org.sinter.rl.remote;

/** Where a distributed learner's rollout workers run: threads of its own JVM, or one process each over loopback sockets. */
public enum Placement {
    THREADS,
    PROCESSES
}
