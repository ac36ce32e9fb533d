package org.sinter.distributed.launch;

import java.util.Map;

/**
 * Where a process stands in its job, read from the variables that real launchers set:
 * {@code torchrun} and Kubeflow's PyTorchJob/TrainJob ({@code MASTER_ADDR}, {@code MASTER_PORT},
 * {@code RANK}, {@code WORLD_SIZE}, {@code LOCAL_RANK}, {@code LOCAL_WORLD_SIZE}), Open MPI's
 * {@code mpirun} ({@code OMPI_COMM_WORLD_*}) and Slurm's {@code srun} ({@code SLURM_PROCID},
 * {@code SLURM_NTASKS}, {@code SLURM_LOCALID}, {@code SLURM_JOB_NODELIST}, ...). {@code sinter
 * launch} sets torchrun's variables.
 *
 * @param agentStore a launcher already hosts the store on {@code MASTER_PORT} (torchrun's agent,
 *                   {@code sinter launch}); otherwise rank 0 hosts it
 * @param restartCount how many times the launcher has restarted the job (torchrun's elastic agent)
 */
public record LaunchEnv(String launcher, int rank, int worldSize, int localRank, int localWorldSize,
                        String masterAddr, int masterPort, boolean agentStore, int restartCount) {
    /** torchrun's default port; also used by mpirun and Slurm jobs that do not set MASTER_PORT. */
    public static final int DEFAULT_PORT = 29500;

    public LaunchEnv {
        if (worldSize < 1) throw new IllegalArgumentException(launcher + ": world size must be >= 1, got " + worldSize);
        if (rank < 0 || rank >= worldSize) throw new IllegalArgumentException(launcher + ": rank " + rank + " is outside 0.." + (worldSize - 1));
        if (localWorldSize < 1 || localRank < 0 || localRank >= localWorldSize) {
            throw new IllegalArgumentException(launcher + ": local rank " + localRank + " is outside 0.." + (localWorldSize - 1));
        }
        if (masterPort <= 0 || masterPort > 65535) throw new IllegalArgumentException(launcher + ": MASTER_PORT must be in 1..65535, got " + masterPort);
    }

    /** Reads this process's environment. */
    public static LaunchEnv fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads a launcher's variables from {@code env}; fails with a message listing what each launcher sets. */
    public static LaunchEnv from(Map<String, String> env) {
        if (env.containsKey("RANK") && env.containsKey("WORLD_SIZE")) {
            String launcher = env.containsKey("TORCHELASTIC_RUN_ID") ? "torchrun"
                    : env.containsKey("SINTER_LAUNCH") ? "sinter launch" : "env (torchrun variables)";
            int world = integer(env, "WORLD_SIZE", null);
            return new LaunchEnv(launcher, integer(env, "RANK", null), world,
                    integer(env, "LOCAL_RANK", "0"), integer(env, "LOCAL_WORLD_SIZE", env.containsKey("LOCAL_RANK") ? "" + world : "1"),
                    required(env, "MASTER_ADDR", launcher), integer(env, "MASTER_PORT", null),
                    "True".equalsIgnoreCase(env.get("TORCHELASTIC_USE_AGENT_STORE")),
                    integer(env, "TORCHELASTIC_RESTART_COUNT", "0"));
        }
        if (env.containsKey("OMPI_COMM_WORLD_RANK")) {
            int world = integer(env, "OMPI_COMM_WORLD_SIZE", null);
            int localWorld = integer(env, "OMPI_COMM_WORLD_LOCAL_SIZE", "1");
            String addr = env.get("MASTER_ADDR");
            if (addr == null) {
                if (localWorld != world) {
                    throw new IllegalArgumentException("mpirun: a job on several hosts needs MASTER_ADDR (the host of rank 0): "
                            + "pass it with mpirun -x MASTER_ADDR=<host> -x MASTER_PORT=<port>");
                }
                addr = "127.0.0.1";
            }
            return new LaunchEnv("mpirun", integer(env, "OMPI_COMM_WORLD_RANK", null), world,
                    integer(env, "OMPI_COMM_WORLD_LOCAL_RANK", "0"), localWorld, addr,
                    integer(env, "MASTER_PORT", "" + DEFAULT_PORT), false, 0);
        }
        if (env.containsKey("SLURM_PROCID")) {
            String addr = env.get("MASTER_ADDR");
            if (addr == null) {
                String nodes = env.getOrDefault("SLURM_STEP_NODELIST", env.get("SLURM_JOB_NODELIST"));
                if (nodes == null) throw new IllegalArgumentException("slurm: neither MASTER_ADDR nor SLURM_JOB_NODELIST is set");
                addr = SlurmNodeList.first(nodes);
            }
            // Jobs sharing a node get different default ports.
            String defaultPort = "" + (DEFAULT_PORT + (env.containsKey("SLURM_JOB_ID") ? (int) (Long.parseLong(env.get("SLURM_JOB_ID").trim()) % 1000) : 0));
            return new LaunchEnv("slurm", integer(env, "SLURM_PROCID", null), integer(env, "SLURM_NTASKS", null),
                    integer(env, "SLURM_LOCALID", "0"), SlurmNodeList.tasksOnFirstNode(env.getOrDefault("SLURM_TASKS_PER_NODE", "1")),
                    addr, integer(env, "MASTER_PORT", defaultPort), false, integer(env, "SLURM_RESTART_COUNT", "0"));
        }
        throw new IllegalArgumentException("no launcher environment found: expected torchrun's RANK, WORLD_SIZE, MASTER_ADDR and "
                + "MASTER_PORT (also set by Kubeflow and `sinter launch`), Open MPI's OMPI_COMM_WORLD_RANK/SIZE, or Slurm's "
                + "SLURM_PROCID/SLURM_NTASKS");
    }

    private static String required(Map<String, String> env, String name, String launcher) {
        String v = env.get(name);
        if (v == null || v.isBlank()) throw new IllegalArgumentException(launcher + ": environment variable " + name + " is not set");
        return v.trim();
    }

    private static int integer(Map<String, String> env, String name, String dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            if (dflt == null) throw new IllegalArgumentException("environment variable " + name + " is not set");
            v = dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + " must be an integer, got '" + v + "'");
        }
    }
}
