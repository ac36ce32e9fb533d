package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.fidelity.Hyperband;
import org.sinter.automl.fidelity.Job;
import org.sinter.automl.fidelity.Schedulers;
import org.sinter.automl.manager.ExperimentSpec;
import org.sinter.automl.manager.ExperimentStore;
import org.sinter.automl.manager.ProcessExperiment;
import org.sinter.automl.manager.StoredTrial;
import org.sinter.automl.manager.TrialBudget;
import org.sinter.automl.space.SearchSpaceJson;

/**
 * Hyperband, BOHB and ASHA driven by the process manager: each job is a trial process told its
 * budget and its configuration's checkpoint directory; a promoted configuration resumes from the
 * checkpoint its lower rung left instead of training from scratch.
 */
class ProcessMultiFidelityTest {
    @TempDir Path dir;

    static ExperimentSpec spec(String name, Schedulers.Settings s, List<String> command) {
        return new ExperimentSpec(name, SearchSpaceJson.toJson(ProcessExperimentTest.SPACE).toString(), s.describe(), 3,
                Direction.MINIMIZE, command, s.count());
    }

    private List<StoredTrial> run(String name, Schedulers.Settings s, int concurrency) throws Exception {
        Path script = TrialScripts.learningCurve(dir, 20);
        try (ExperimentStore store = ExperimentStore.open(dir.resolve("hpo.db"))) {
            return ProcessExperiment.builder().store(store).spec(spec(name, s, TrialScripts.python(script)))
                    .scheduler(Schedulers.create(s, ProcessExperimentTest.SPACE, 3)).concurrency(concurrency)
                    .checkpointDirectory(dir.resolve(name + "-checkpoints")).logDirectory(dir.resolve(name + "-logs")).build().run();
        }
    }

    @Test
    void ashaPromotesConfigurationsThatResumeFromTheirCheckpoints() throws Exception {
        var settings = new Schedulers.Settings("asha", "random", 1, 9, 3, 12);
        List<StoredTrial> jobs = run("asha", settings, 3);
        checkJobs(jobs, dir.resolve("asha-checkpoints"));
        assertEquals(12, jobs.stream().filter(t -> t.budget().rung() == 0).count(), "configurations started");
        assertTrue(jobs.stream().anyMatch(t -> t.budget().rung() == 2), "some configuration reached the full budget");
    }

    @Test
    void hyperbandRunsExactlyTheInProcessScheduleThroughProcesses() throws Exception {
        var settings = new Schedulers.Settings("hyperband", "random", 1, 9, 3, 1);
        List<StoredTrial> jobs = run("hb", settings, 3);
        checkJobs(jobs, dir.resolve("hb-checkpoints"));
        // Synchronous successive halving promotes by loss with ties broken by id, so the jobs do not depend on which
        // process finished first: the same scheduler driven in-process with the script's losses gives the same set.
        Set<String> expected = new HashSet<>();
        List<Job> wave = new ArrayList<>();
        Hyperband reference = new Hyperband(ProcessExperimentTest.SPACE, 3, 1, 9, 3, 1);
        while (!reference.done()) {
            var next = reference.next();
            if (next.isPresent()) { wave.add(next.get()); expected.add(key(next.get())); continue; }
            for (Job j : wave) reference.report(j, TrialScripts.learningCurve(j.parameters(), j.budget()));
            wave.clear();
        }
        Set<String> actual = new HashSet<>();
        for (StoredTrial t : jobs) actual.add(t.budget().config() + "@" + t.budget().rung() + " " + json(t.parameters()));
        assertEquals(expected, actual);
        assertEquals(expected.size(), jobs.size());
    }

    @Test
    void bohbRunsThroughProcesses() throws Exception {
        var settings = new Schedulers.Settings("bohb", "random", 1, 9, 3, 2);
        List<StoredTrial> jobs = run("bohb", settings, 2);
        checkJobs(jobs, dir.resolve("bohb-checkpoints"));
        Hyperband shape = new Hyperband(ProcessExperimentTest.SPACE, 3, 1, 9, 3, 2);
        int planned = 0;
        for (int s = shape.maxBracket(); s >= 0; s--) for (int i = 0; i <= s; i++) planned += shape.rungSize(s, i);
        assertEquals(2 * planned, jobs.size(), "two rounds of every bracket's rungs");
    }

    private static String key(Job j) {
        return j.config() + "@" + j.rung() + " " + json(j.parameters());
    }

    private static String json(Map<String, Object> p) {
        try {
            return SearchSpaceJson.MAPPER.writeValueAsString(SearchSpaceJson.MAPPER.valueToTree(p));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Every job succeeded with the loss its parameters give at its budget; a promoted job was issued after its
     * lower rung's result, trained only the epochs between the two budgets (it resumed from the checkpoint), and no
     * configuration ever trained an epoch twice; each (configuration, rung) ran once.
     */
    static void checkJobs(List<StoredTrial> jobs, Path checkpoints) throws Exception {
        Map<String, StoredTrial> byConfigRung = new HashMap<>();
        Map<Integer, Double> maxBudget = new HashMap<>();
        for (StoredTrial t : jobs) {
            TrialBudget b = t.budget();
            assertNotNull(b, "trial " + t.id() + " has its budget journaled");
            assertEquals("SUCCEEDED", t.status(), "trial " + t.id() + ": " + t.error());
            assertEquals(TrialScripts.learningCurve(t.parameters(), b.budget()), t.value(), 1e-12, "trial " + t.id() + "'s value at its budget");
            assertNull(byConfigRung.put(b.config() + "@" + b.rung(), t), "configuration " + b.config() + " ran rung " + b.rung() + " twice");
            maxBudget.merge(b.config(), b.budget(), Math::max);
        }
        for (StoredTrial t : jobs) {
            TrialBudget b = t.budget();
            if (b.rung() == 0) {
                assertEquals((int) b.budget(), t.intermediates().size(), "trial " + t.id() + " trained from scratch");
                continue;
            }
            StoredTrial lower = byConfigRung.get(b.config() + "@" + (b.rung() - 1));
            assertNotNull(lower, "trial " + t.id() + " was promoted from a rung its configuration never ran");
            assertEquals(json(lower.parameters()), json(t.parameters()));
            assertTrue(lower.endSequence() <= b.issuedAfter(), "trial " + t.id() + " was issued before its lower rung ended");
            assertEquals((int) (b.budget() - lower.budget().budget()), t.intermediates().size(),
                    "trial " + t.id() + " resumed from its lower rung's checkpoint");
        }
        for (var e : maxBudget.entrySet()) {
            Path config = checkpoints.resolve("config-" + e.getKey());
            List<String> epochs = Files.readAllLines(config.resolve("epochs.log"));
            List<String> once = new ArrayList<>();
            for (int i = 1; i <= e.getValue(); i++) once.add(Integer.toString(i));
            assertEquals(once, epochs, "configuration " + e.getKey() + " trained each epoch up to its largest budget exactly once");
        }
    }
}
