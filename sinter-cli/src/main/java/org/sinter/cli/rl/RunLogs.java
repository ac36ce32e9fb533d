package org.sinter.cli.rl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sinter.cli.plot.LineChart;
import org.sinter.io.AtomicFiles;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.agents.Agent;

/**
 * The logs of one {@code sinter rl train} run, in the spirit of TensorBoard's CSV export: a row per
 * progress report in {@code steps.csv} (rewritten atomically at each report, so it can be read
 * during the run), a row per finished episode in {@code episodes.csv}, and the learning curve
 * {@code curve.png} (each episode's return and the moving mean over the window, against
 * environment steps).
 */
public final class RunLogs {
    public static final String STEPS = "steps.csv", EPISODES = "episodes.csv", CURVE = "curve.png";

    private final Path dir;
    private final StringBuilder steps = new StringBuilder("step,episodes,mean_return,steps_per_second,seconds\n");

    public RunLogs(Path dir) {
        this.dir = dir;
    }

    /**
     * The logs of a run resumed at environment step {@code step}: the rows of its {@code steps.csv} up
     * to that step are kept (later ones came after the saved state and will be written again).
     * {@code episodes.csv} and {@code curve.png} are rewritten at the end from the whole history,
     * which the resumed trainer carries.
     */
    public static RunLogs resume(Path dir, long step) throws IOException {
        RunLogs logs = new RunLogs(dir);
        Path file = dir.resolve(STEPS);
        if (!java.nio.file.Files.isRegularFile(file)) return logs;
        List<String> lines = java.nio.file.Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            long rowStep;
            try {
                rowStep = Long.parseLong(line.substring(0, line.indexOf(',')));
            } catch (RuntimeException e) {
                throw new IOException(file + ": line " + (i + 1) + " is not a steps.csv row: " + line, e);
            }
            if (rowStep <= step) logs.steps.append(line).append('\n');
        }
        return logs;
    }

    /** Appends a progress row and rewrites {@code steps.csv}. */
    public void progress(Agent.Progress p, double seconds) throws IOException {
        steps.append(String.format(Locale.ROOT, "%d,%d,%s,%.1f,%.3f%n", p.steps(), p.episodes(), number(p.meanReturn()), p.stepsPerSecond(), seconds));
        AtomicFiles.write(dir.resolve(STEPS), steps.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code episodes.csv} and {@code curve.png} from the finished run; returns the file names written. */
    public List<String> finish(TrainingResult result, int window, String title) throws IOException {
        List<Double> returns = result.episodeReturns();
        List<Long> ends = result.episodeEndSteps();
        StringBuilder csv = new StringBuilder("episode,step,return\n");
        for (int i = 0; i < returns.size(); i++) csv.append(i + 1).append(',').append(ends.get(i)).append(',').append(number(returns.get(i))).append('\n');
        AtomicFiles.write(dir.resolve(EPISODES), csv.toString().getBytes(StandardCharsets.UTF_8));
        List<String> wrote = new ArrayList<>(List.of(STEPS, EPISODES));
        if (returns.isEmpty()) return wrote; // no episode ended: nothing to draw
        double[] x = new double[returns.size()], y = new double[returns.size()], mean = new double[returns.size()];
        double sum = 0;
        for (int i = 0; i < returns.size(); i++) {
            x[i] = ends.get(i);
            y[i] = returns.get(i);
            sum += y[i];
            if (i >= window) sum -= y[i - window];
            mean[i] = sum / Math.min(i + 1, window);
        }
        new LineChart(title).xLabel("environment steps").yLabel("episode return")
                .add("episode return", x, y).add("mean of last " + window, x, mean).writePng(dir.resolve(CURVE));
        wrote.add(CURVE);
        return wrote;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
