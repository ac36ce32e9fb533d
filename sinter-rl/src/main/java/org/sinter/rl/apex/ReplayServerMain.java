package org.sinter.rl.apex;

import java.io.IOException;

/**
 * Ape-X's replay in its own process: owns a sharded prioritized {@link ReplayServer} and serves it
 * over {@link ReplayProtocol} on a loopback port until its parent closes its input or exits
 * (started by {@link RemoteReplay#startProcess}). Usage:
 * {@code ReplayServerMain SHARDS CAPACITY OBSERVATION_SIZE ALPHA EPSILON}, with the token in
 * {@link org.sinter.rl.remote.ChildJvm#TOKEN_ENV}.
 */
public final class ReplayServerMain {
    private ReplayServerMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: ReplayServerMain SHARDS CAPACITY OBSERVATION_SIZE ALPHA EPSILON (started by the learner)");
            System.exit(2);
        }
        ReplayServer replay = new ReplayServer(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Double.parseDouble(args[3]), Double.parseDouble(args[4]));
        ReplaySocketServer server = new ReplaySocketServer(replay, org.sinter.rl.remote.ChildJvm.tokenFromEnvironment("ReplayServerMain"), 0);
        org.sinter.rl.remote.ChildJvm.serveUntilParentExits(server.port());
    }
}
