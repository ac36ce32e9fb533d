package org.sinter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code sinter launch}: ranks get torchrun's variables, the command's own options pass through, failures keep their code. */
class LaunchCommandTest {
    @Test
    void runsEachRankWithTorchrunsVariables() {
        Cli.Result r = Cli.run("launch", "--nproc", "2", "sh", "-c", "echo rank=$RANK world=$WORLD_SIZE local=$LOCAL_RANK store=$TORCHELASTIC_USE_AGENT_STORE");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("[0]:rank=0 world=2 local=0 store=True"), r.toString());
        assertTrue(r.out().contains("[1]:rank=1 world=2 local=1 store=True"), r.toString());
    }

    @Test
    void aFailingRankGivesItsExitCode() {
        Cli.Result r = Cli.run("launch", "--nproc", "2", "sh", "-c", "exit 4");
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.out().contains("exited with code 4"), r.toString());
    }

    @Test
    void badCountsAreUsageErrors() {
        Cli.Result r = Cli.run("launch", "--nproc", "0", "true");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("--nproc"), r.toString());
        assertFalse(r.hasStackTrace(), r.toString());
    }
}
