package org.sinter.automl.manager;

import java.util.LinkedHashMap;
import java.util.Map;
import org.sinter.automl.space.SearchSpaceJson;

/**
 * The small API a Java trial program uses when the experiment manager runs it as a process (NNI's
 * {@code nni.get_next_parameter} / {@code report_intermediate_result} / {@code report_final_result}):
 * it reads the parameters from the environment and prints {@link TrialProtocol}'s report lines.
 */
public final class TrialProcess {
    private TrialProcess() {}

    /** This trial's parameters. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parameters() {
        String json = System.getenv(TrialProtocol.PARAMETERS_VARIABLE);
        if (json == null)
            throw new IllegalStateException(TrialProtocol.PARAMETERS_VARIABLE + " is not set: run this program through `sinter hpo run`");
        try {
            return SearchSpaceJson.MAPPER.readValue(json, LinkedHashMap.class);
        } catch (Exception e) {
            throw new IllegalStateException(TrialProtocol.PARAMETERS_VARIABLE + " is not a JSON object: " + e.getMessage(), e);
        }
    }

    public static int trialId() {
        String id = System.getenv(TrialProtocol.TRIAL_ID_VARIABLE);
        return id == null ? -1 : Integer.parseInt(id);
    }

    /** The multi-fidelity budget this job trains up to (epochs, say); empty when the trial runs without a scheduler. */
    public static java.util.OptionalDouble budget() {
        String b = System.getenv(TrialProtocol.BUDGET_VARIABLE);
        if (b == null) return java.util.OptionalDouble.empty();
        try {
            return java.util.OptionalDouble.of(Double.parseDouble(b));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(TrialProtocol.BUDGET_VARIABLE + " is not a number: '" + b + "'");
        }
    }

    /**
     * The configuration's checkpoint directory, kept across its rungs (save there; a promoted job finds the last
     * save), or empty when the trial runs without a scheduler.
     */
    public static java.util.Optional<java.nio.file.Path> checkpointDirectory() {
        String dir = System.getenv(TrialProtocol.CHECKPOINT_VARIABLE);
        return dir == null ? java.util.Optional.empty() : java.util.Optional.of(java.nio.file.Path.of(dir));
    }

    public static void reportIntermediate(double metric) {
        report(TrialProtocol.INTERMEDIATE, metric);
    }

    public static void reportFinal(double metric) {
        report(TrialProtocol.RESULT, metric);
    }

    private static void report(String kind, double metric) {
        if (!Double.isFinite(metric)) throw new IllegalArgumentException(kind + ": the metric must be finite, got " + metric);
        synchronized (System.out) {
            System.out.println(kind + " " + metric);
            System.out.flush();
        }
    }
}
