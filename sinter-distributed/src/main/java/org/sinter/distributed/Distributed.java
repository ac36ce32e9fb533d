package org.sinter.distributed;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.sinter.distributed.launch.LaunchEnv;
import org.sinter.distributed.store.Store;
import org.sinter.distributed.store.TcpStore;
import org.sinter.distributed.store.TcpStoreServer;

/**
 * Joining a job ({@code torch.distributed.init_process_group}): read the launcher's environment,
 * reach the store on {@code MASTER_ADDR:MASTER_PORT} (hosted by torchrun's agent or {@code sinter
 * launch}; otherwise rank 0 hosts it), and connect the default group.
 */
public final class Distributed {
    private Distributed() {}

    /** Joins the job described by this process's environment. */
    public static ProcessGroup initProcessGroup() {
        LaunchEnv env = LaunchEnv.fromEnvironment();
        return initProcessGroup(env, ProcessGroupOptions.fromEnvironment(advertiseHost(env.masterAddr(), env.masterPort())));
    }

    public static ProcessGroup initProcessGroup(LaunchEnv env, ProcessGroupOptions options) {
        TcpStoreServer server = null;
        if (!env.agentStore() && env.rank() == 0) server = new TcpStoreServer(env.masterPort());
        Store store;
        try {
            store = new TcpStore(env.masterAddr(), env.masterPort(), options.timeout());
        } catch (RuntimeException e) {
            if (server != null) server.close();
            throw e;
        }
        try {
            // Keys of an earlier attempt stay in an agent's store across restarts: key by attempt.
            ProcessGroup pg = ProcessGroup.create(store, "sinter/attempt" + env.restartCount() + "/default", env.rank(), env.worldSize(), options);
            pg.own(store);
            if (server != null) pg.own(server);
            return pg;
        } catch (RuntimeException e) {
            store.close();
            if (server != null) server.close();
            throw new IllegalStateException(env.launcher() + " rank " + env.rank() + "/" + env.worldSize() + ": joining the job through "
                    + env.masterAddr() + ":" + env.masterPort() + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The address of this machine that the master's address routes through (what the other
     * ranks can dial); loopback when the master is on loopback.
     */
    static String advertiseHost(String masterAddr, int masterPort) {
        try {
            InetAddress master = InetAddress.getByName(masterAddr);
            if (master.isLoopbackAddress()) return "127.0.0.1";
            try (DatagramSocket probe = new DatagramSocket()) {
                probe.connect(new InetSocketAddress(master, masterPort)); // no packet is sent
                return probe.getLocalAddress().getHostAddress();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve MASTER_ADDR '" + masterAddr + "': " + e.getMessage(), e);
        }
    }

}
