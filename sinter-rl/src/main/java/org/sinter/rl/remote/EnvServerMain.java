package org.sinter.rl.remote;

import java.io.IOException;
import java.time.Duration;
import org.sinter.rl.envs.Envs;

/**
 * One registered environment served over the external-environment protocol ({@link EnvServer}) in
 * a child JVM, until the parent closes this process's input or exits (started by
 * {@link org.sinter.rl.vector.ProcessVectorEnv}). Usage: {@code EnvServerMain ENV_ID}.
 */
public final class EnvServerMain {
    private EnvServerMain() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: EnvServerMain ENV_ID (started by its parent); ENV_ID one of " + Envs.IDS);
            System.exit(2);
        }
        Envs.make(args[0]); // an unknown id fails here, before the port is announced
        // No idle timeout: the parent may think for long between steps, and the process ends with the parent anyway.
        EnvServer server = new EnvServer(() -> Envs.make(args[0]), 0, Duration.ZERO);
        ChildJvm.serveUntilParentExits(server.port());
    }
}
