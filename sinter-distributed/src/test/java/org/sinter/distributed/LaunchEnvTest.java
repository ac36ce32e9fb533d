package org.sinter.distributed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sinter.distributed.launch.LaunchEnv;

/** Each launcher's variables, as torchrun 1.13, Open MPI and Slurm set them. */
class LaunchEnvTest {
    @Test
    void torchrunWithItsAgentStore() {
        LaunchEnv e = LaunchEnv.from(Map.of("RANK", "1", "WORLD_SIZE", "2", "LOCAL_RANK", "1", "LOCAL_WORLD_SIZE", "2",
                "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "29500", "TORCHELASTIC_RUN_ID", "none",
                "TORCHELASTIC_USE_AGENT_STORE", "True", "TORCHELASTIC_RESTART_COUNT", "2"));
        assertEquals(new LaunchEnv("torchrun", 1, 2, 1, 2, "127.0.0.1", 29500, true, 2), e);
    }

    @Test
    void kubeflowSetsTorchrunsVariablesWithoutAnAgent() {
        LaunchEnv e = LaunchEnv.from(Map.of("RANK", "3", "WORLD_SIZE", "4", "MASTER_ADDR", "job-master-0", "MASTER_PORT", "23456"));
        assertEquals("job-master-0", e.masterAddr());
        assertFalse(e.agentStore());
        assertEquals(3, e.rank());
        assertEquals(0, e.localRank());
    }

    @Test
    void openMpi() {
        LaunchEnv e = LaunchEnv.from(Map.of("OMPI_COMM_WORLD_RANK", "2", "OMPI_COMM_WORLD_SIZE", "4",
                "OMPI_COMM_WORLD_LOCAL_RANK", "2", "OMPI_COMM_WORLD_LOCAL_SIZE", "4"));
        assertEquals(new LaunchEnv("mpirun", 2, 4, 2, 4, "127.0.0.1", 29500, false, 0), e);
        IllegalArgumentException multiHost = assertThrows(IllegalArgumentException.class, () -> LaunchEnv.from(Map.of(
                "OMPI_COMM_WORLD_RANK", "2", "OMPI_COMM_WORLD_SIZE", "4", "OMPI_COMM_WORLD_LOCAL_RANK", "0", "OMPI_COMM_WORLD_LOCAL_SIZE", "2")));
        assertTrue(multiHost.getMessage().contains("MASTER_ADDR"), multiHost.getMessage());
    }

    @Test
    void slurm() {
        LaunchEnv e = LaunchEnv.from(Map.of("SLURM_PROCID", "5", "SLURM_NTASKS", "8", "SLURM_LOCALID", "1",
                "SLURM_TASKS_PER_NODE", "4(x2)", "SLURM_JOB_NODELIST", "gpu[07-08],cpu1", "SLURM_JOB_ID", "123456"));
        assertEquals(new LaunchEnv("slurm", 5, 8, 1, 4, "gpu07", 29500 + 456, false, 0), e);
        assertEquals("n1", LaunchEnv.from(Map.of("SLURM_PROCID", "0", "SLURM_NTASKS", "1", "SLURM_JOB_NODELIST", "n1,n2")).masterAddr());
    }

    @Test
    void badOrMissingVariablesAreNamed() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> LaunchEnv.from(Map.of()));
        assertTrue(none.getMessage().contains("MASTER_ADDR") && none.getMessage().contains("OMPI_COMM_WORLD_RANK") && none.getMessage().contains("SLURM_PROCID"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LaunchEnv.from(Map.of("RANK", "x", "WORLD_SIZE", "2", "MASTER_ADDR", "h", "MASTER_PORT", "1")));
        assertTrue(bad.getMessage().contains("RANK"), bad.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> LaunchEnv.from(Map.of("RANK", "2", "WORLD_SIZE", "2", "MASTER_ADDR", "h", "MASTER_PORT", "1")));
        assertTrue(range.getMessage().contains("rank 2"), range.getMessage());
        IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
                () -> LaunchEnv.from(Map.of("RANK", "0", "WORLD_SIZE", "2", "MASTER_ADDR", "h")));
        assertTrue(port.getMessage().contains("MASTER_PORT"), port.getMessage());
    }
}
