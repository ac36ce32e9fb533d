package org.sinter.automl.manager;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.sinter.automl.space.SearchSpaceJson;

/**
 * How a trial process and the manager talk, whatever the trial's language: the parameters arrive as
 * a JSON object in the environment variable {@value #PARAMETERS_VARIABLE} (with
 * {@value #TRIAL_ID_VARIABLE} and {@value #EXPERIMENT_VARIABLE}); the trial reports by printing lines
 * on standard output, {@code SINTER_INTERMEDIATE <metric>} after each epoch and
 * {@code SINTER_RESULT <metric>} at the end, where the metric is a number or NNI's metric object
 * {@code {"default": 0.93, ...}} (also {@code {"value": ...}}). Every other line is the trial's log.
 */
public final class TrialProtocol {
    private TrialProtocol() {}

    public static final String PARAMETERS_VARIABLE = "SINTER_PARAMETERS";
    public static final String TRIAL_ID_VARIABLE = "SINTER_TRIAL_ID";
    public static final String EXPERIMENT_VARIABLE = "SINTER_EXPERIMENT";
    /** A multi-fidelity job's budget (epochs, say): train up to it, as NNI's Hyperband/BOHB trials read TRIAL_BUDGET. */
    public static final String BUDGET_VARIABLE = "SINTER_BUDGET";
    /** The configuration a multi-fidelity job belongs to (a promoted configuration keeps its id). */
    public static final String CONFIG_VARIABLE = "SINTER_CONFIG_ID";
    /** The job's successive-halving rung, 0 for a new configuration. */
    public static final String RUNG_VARIABLE = "SINTER_RUNG";
    /**
     * A directory of the configuration's own, kept across its rungs: a trial saves its checkpoint there
     * and a promoted trial resumes from it instead of training from scratch.
     */
    public static final String CHECKPOINT_VARIABLE = "SINTER_CHECKPOINT_DIR";
    public static final String INTERMEDIATE = "SINTER_INTERMEDIATE";
    public static final String RESULT = "SINTER_RESULT";

    /** A budget as the trial reads it: an integer when it is one ("9", not "9.0"). */
    public static String formatBudget(double budget) {
        return budget == Math.rint(budget) && Math.abs(budget) < 1e15 ? Long.toString((long) budget) : Double.toString(budget);
    }

    /** A report line: final or intermediate, and its metric. */
    public record Report(boolean isFinal, double value) {}

    /**
     * The report {@code line} carries, empty for an ordinary log line.
     *
     * @throws IllegalArgumentException a report line whose metric is not a finite number, naming the line
     */
    public static Optional<Report> parse(String line) {
        String trimmed = line.strip();
        boolean isFinal;
        String rest;
        if (trimmed.startsWith(RESULT + " ") || trimmed.equals(RESULT)) {
            isFinal = true;
            rest = trimmed.substring(RESULT.length()).strip();
        } else if (trimmed.startsWith(INTERMEDIATE + " ") || trimmed.equals(INTERMEDIATE)) {
            isFinal = false;
            rest = trimmed.substring(INTERMEDIATE.length()).strip();
        } else {
            return Optional.empty();
        }
        double value;
        try {
            JsonNode node = SearchSpaceJson.MAPPER.readTree(rest);
            if (node != null && node.isObject()) node = node.has("default") ? node.get("default") : node.get("value");
            if (node == null || !node.isNumber()) throw new IllegalArgumentException("not a number");
            value = node.asDouble();
        } catch (Exception e) {
            throw new IllegalArgumentException("trial printed a malformed report line '" + trimmed + "': expected '"
                    + (isFinal ? RESULT : INTERMEDIATE) + " <number>' or '... {\"default\": <number>}'");
        }
        if (!Double.isFinite(value)) throw new IllegalArgumentException("trial reported a non-finite metric: '" + trimmed + "'");
        return Optional.of(new Report(isFinal, value));
    }
}
