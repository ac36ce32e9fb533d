package org.sinter.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sinter.automl.assessor.Assessor;
import org.sinter.automl.assessor.MedianStopAssessor;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.fidelity.Schedulers;
import org.sinter.automl.manager.ExperimentSpec;
import org.sinter.automl.manager.ExperimentStore;
import org.sinter.automl.manager.ProcessExperiment;
import org.sinter.automl.manager.StoredTrial;
import org.sinter.automl.manager.TrialOutcome;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.space.SearchSpaceJson;
import org.sinter.automl.tuner.Tuners;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sinter hpo run|list|show}: hyper-parameter search over trial processes, journaled in SQLite (issue 17); with
 * {@code --scheduler hyperband|bohb|asha} each trial is a multi-fidelity job with a budget and a checkpoint directory.
 */
@Command(name = "hpo", mixinStandardHelpOptions = true,
        description = "Hyper-parameter optimisation: run trials of any command with parameters from a tuner (NNI's search-space JSON),"
                + " resumable after a crash; list and show experiments.",
        subcommands = {HpoCommand.Run.class, HpoCommand.ListExperiments.class, HpoCommand.Show.class, HpoCommand.View.class, HpoCommand.Lab8Trial.class,
                HpoNasCommand.class, HpoServeCommand.class})
final class HpoCommand implements Runnable {
    static final String DEFAULT_DB = "runs/hpo/hpo.db";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run (or resume, with the same --name) an experiment: each trial runs COMMAND with its parameters as JSON in"
                    + " $SINTER_PARAMETERS and reports by printing 'SINTER_INTERMEDIATE <metric>' and 'SINTER_RESULT <metric>' lines.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--space", required = true, description = "search space, NNI's JSON format")
        Path space;
        @Option(names = "--tuner", defaultValue = "tpe", description = "random, grid, tpe, tpe-multivariate, gp, smac, anneal, evolution; with --scheduler asha: where new configurations come from (default: ${DEFAULT-VALUE})")
        String tuner;
        @Option(names = "--trials", description = "how many trials the experiment runs in all (with --scheduler asha: how many"
                + " configurations it starts)")
        Integer trials;
        @Option(names = "--startup-trials", description = "random trials before a model-based tuner (tpe, tpe-multivariate, gp, smac)"
                + " uses its model (default: 10)")
        Integer startupTrials;
        @Option(names = "--scheduler", description = "multi-fidelity scheduling: hyperband, bohb or asha; each job gets its budget in"
                + " $SINTER_BUDGET and a per-configuration checkpoint directory in $SINTER_CHECKPOINT_DIR to resume from when promoted")
        String scheduler;
        @Option(names = "--min-budget", defaultValue = "1", description = "smallest budget (epochs) a job gets (default: ${DEFAULT-VALUE})")
        double minBudget;
        @Option(names = "--max-budget", description = "largest budget (epochs); required with --scheduler")
        Double maxBudget;
        @Option(names = "--eta", defaultValue = "3", description = "successive halving keeps 1/eta per rung and multiplies the budget by eta (default: ${DEFAULT-VALUE})")
        double eta;
        @Option(names = "--rounds", description = "with --scheduler hyperband or bohb: rounds of all brackets (default: 1)")
        Integer rounds;
        @Option(names = "--constant-liar", description = "with tpe, tpe-multivariate, gp or smac and --concurrency > 1: running trials count"
                + " as the worst loss so far when the next trial is proposed, so concurrent proposals spread out (Optuna's constant_liar)")
        boolean constantLiar;
        @Option(names = "--concurrency", defaultValue = "1", description = "trials running at once (default: ${DEFAULT-VALUE})")
        int concurrency;
        @Option(names = "--name", description = "experiment name; an existing one is resumed (default: hpo-<date>-<time>)")
        String name;
        @Option(names = "--db", defaultValue = DEFAULT_DB, description = "the experiment database (default: ${DEFAULT-VALUE})")
        Path db;
        @Option(names = "--seed", defaultValue = "0", description = "the tuner's seed (default: ${DEFAULT-VALUE})")
        long seed;
        @Option(names = "--maximize", description = "the metric is maximised (accuracy); default: minimised (loss)")
        boolean maximize;
        @Option(names = "--timeout", description = "seconds a trial may run before it is killed and counts as failed")
        Double timeout;
        @Option(names = "--max-memory", description = "MiB of resident memory a trial's processes may hold together before it is killed and counts as failed")
        Long maxMemory;
        @Option(names = "--max-cpu", description = "seconds of CPU time (user + system, all its processes) a trial may use before it is killed and counts as failed")
        Double maxCpu;
        @Option(names = "--retries", defaultValue = "0", description = "relaunches of a failed trial with the same parameters (default: ${DEFAULT-VALUE})")
        int retries;
        @Option(names = "--assessor", defaultValue = "none", description = "early stopping on intermediate results: none, median or curvefitting (default: ${DEFAULT-VALUE})")
        String assessor;
        @Option(names = "--max-step", description = "with --assessor curvefitting: the step (epoch) a trial's final result comes at")
        Integer maxStep;
        @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "the trial command and its arguments (after --)")
        List<String> command;

        private org.sinter.automl.tuner.Tuner newTuner(SearchSpace searchSpace) {
            return startupTrials == null ? Tuners.create(tuner, searchSpace, seed) : Tuners.create(tuner, searchSpace, seed, startupTrials);
        }

        @Override
        public Integer call() throws Exception {
            Schedulers.Settings fidelity = null;
            if (scheduler != null) {
                if (!Schedulers.NAMES.contains(scheduler))
                    throw new UsageException("--scheduler: unknown scheduler '" + scheduler + "'; expected one of " + String.join(", ", Schedulers.NAMES));
                if (maxBudget == null) throw new UsageException("--scheduler " + scheduler + " needs --max-budget (the full training budget, in epochs)");
                if (!"none".equals(assessor)) throw new UsageException("--assessor: --scheduler " + scheduler + " decides which trials continue itself");
                int count;
                if ("asha".equals(scheduler)) {
                    if (trials == null) throw new UsageException("--scheduler asha needs --trials (how many configurations to start)");
                    if (rounds != null) throw new UsageException("--rounds is for hyperband and bohb; asha takes --trials");
                    count = trials;
                } else {
                    if (trials != null) throw new UsageException("--scheduler " + scheduler + " runs --rounds of its brackets, not --trials");
                    count = rounds == null ? 1 : rounds;
                }
                try {
                    fidelity = new Schedulers.Settings(scheduler, tuner, minBudget, maxBudget, eta, count);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--scheduler " + e.getMessage());
                }
                trials = count;
            } else if (rounds != null || maxBudget != null) {
                throw new UsageException((rounds != null ? "--rounds" : "--max-budget") + " needs --scheduler hyperband, bohb or asha");
            }
            if (trials == null) throw new UsageException("--trials is required (how many trials the experiment runs)");
            if (trials < 1) throw new UsageException("--trials must be >= 1, got " + trials);
            if (concurrency < 1) throw new UsageException("--concurrency must be >= 1, got " + concurrency);
            if (retries < 0) throw new UsageException("--retries must be >= 0, got " + retries);
            if (timeout != null && !(timeout > 0)) throw new UsageException("--timeout must be > 0 seconds, got " + timeout);
            if (maxMemory != null && maxMemory < 1) throw new UsageException("--max-memory must be >= 1 MiB, got " + maxMemory);
            if (maxCpu != null && !(maxCpu > 0 && maxCpu < 1e9)) throw new UsageException("--max-cpu must be > 0 seconds, got " + maxCpu);
            if (!Tuners.NAMES.contains(tuner)) throw new UsageException("--tuner: unknown tuner '" + tuner + "'; expected one of " + String.join(", ", Tuners.NAMES));
            if (startupTrials != null) {
                if (!Tuners.WITH_STARTUP.contains(tuner))
                    throw new UsageException("--startup-trials: tuner '" + tuner + "' has none; " + String.join(", ", Tuners.WITH_STARTUP) + " have");
                if (startupTrials < 2) throw new UsageException("--startup-trials must be >= 2, got " + startupTrials);
                if (scheduler != null) throw new UsageException("--startup-trials is for --tuner without --scheduler");
            }
            if (constantLiar && (!Tuners.WITH_STARTUP.contains(tuner) || scheduler != null))
                throw new UsageException("--constant-liar is for a model-based --tuner (" + String.join(", ", Tuners.WITH_STARTUP) + ") without --scheduler");
            // What the journal records as the tuner, so a resume with another start-up count (or without the liar) is refused.
            String tunerSpec = (startupTrials == null ? tuner : tuner + "(startup=" + startupTrials + ")") + (constantLiar ? "+constant-liar" : "");
            Assessor stopper = switch (assessor) {
                case "none" -> null;
                case "median" -> new MedianStopAssessor(1);
                case "curvefitting" -> {
                    if (maxStep == null || maxStep < 3)
                        throw new UsageException("--assessor curvefitting needs --max-step >= 3 (the step the final result comes at)");
                    yield new org.sinter.automl.assessor.CurveFittingAssessor(maxStep);
                }
                default -> throw new UsageException("--assessor: expected none, median or curvefitting, got '" + assessor + "'");
            };
            if (!Files.isRegularFile(space)) throw new UsageException("--space: " + space + " is not a file");
            SearchSpace searchSpace;
            try {
                searchSpace = SearchSpaceJson.read(space);
            } catch (IllegalArgumentException | java.io.IOException e) {
                throw new UsageException("--space " + space + ": " + e.getMessage());
            }
            String experiment = name != null ? name : "hpo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            ExperimentSpec spec;
            try {
                spec = new ExperimentSpec(experiment, SearchSpaceJson.toJson(searchSpace).toString(),
                        fidelity == null ? tunerSpec : fidelity.describe(), seed,
                        maximize ? Direction.MAXIMIZE : Direction.MINIMIZE, command, trials);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            Path logs = db.toAbsolutePath().getParent().resolve(experiment);
            try (ExperimentStore store = ExperimentStore.open(db)) {
                try {
                    store.register(spec);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                ProcessExperiment run;
                try {
                    var builder = ProcessExperiment.builder().store(store).spec(spec);
                    if (fidelity == null)
                        builder.tuner(constantLiar
                                ? new org.sinter.automl.tuner.ConstantLiarTuner(() -> newTuner(searchSpace), org.sinter.automl.tuner.ConstantLiarTuner.Lie.WORST)
                                : newTuner(searchSpace));
                    else builder.scheduler(Schedulers.create(fidelity, searchSpace, seed)).checkpointDirectory(logs.resolve("checkpoints"));
                    run = builder.assessor(stopper).concurrency(concurrency).maxRetries(retries)
                            .trialTimeout(timeout == null ? null : Duration.ofMillis(Math.round(timeout * 1000)))
                            .limits(new org.sinter.automl.manager.TrialLimits(maxMemory == null ? 0 : maxMemory << 20, maxCpu == null ? 0 : maxCpu))
                            .logDirectory(logs).onTrialEnd(HpoCommand.Run::print).build();
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--tuner " + tuner + ": " + e.getMessage());
                }
                if (fidelity == null)
                    System.out.printf("experiment %s: %d trials, %d at a time, tuner %s; database %s, trial logs %s%n",
                            experiment, trials, concurrency, tunerSpec, db, logs);
                else
                    System.out.printf("experiment %s: %s, %d %s, %d jobs at a time; database %s, trial logs and checkpoints %s%n",
                            experiment, spec.tuner(), trials, "asha".equals(scheduler) ? "configurations" : "round(s)", concurrency, db, logs);
                List<StoredTrial> all = run.run();
                Optional<StoredTrial> best = best(all, spec.direction());
                if (fidelity != null) {
                    double spent = all.stream().filter(t -> t.budget() != null).mapToDouble(t -> t.intermediates().size()).sum();
                    long configs = all.stream().filter(t -> t.budget() != null).map(t -> t.budget().config()).distinct().count();
                    System.out.printf("%d configurations, %d jobs, %d epochs reported in all%n", configs, all.size(), Math.round(spent));
                }
                System.out.printf("done: %d trials, %d succeeded, %d stopped early, %d failed%s%n", all.size(),
                        count(all, "SUCCEEDED"), count(all, "EARLY_STOPPED"), count(all, "FAILED"),
                        best.map(t -> "; best: trial " + t.id() + " " + format(t.value()) + " " + json(t.parameters())).orElse(""));
                return count(all, "SUCCEEDED") > 0 ? 0 : 1;
            }
        }

        private static void print(TrialOutcome o) {
            System.out.printf("trial %d%s %s%s %s%s%n", o.id(),
                    o.budget() == null ? "" : " (config " + o.budget().config() + ", rung " + o.budget().rung() + ", budget "
                            + org.sinter.automl.manager.TrialProtocol.formatBudget(o.budget().budget()) + ")", o.status(), Double.isNaN(o.value()) ? "" : " " + format(o.value()),
                    json(o.parameters()), o.error() == null ? "" : " (" + o.error() + ")");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the experiments in a database.")
    static final class ListExperiments implements Callable<Integer> {
        @Option(names = "--db", defaultValue = DEFAULT_DB, description = "the experiment database (default: ${DEFAULT-VALUE})")
        Path db;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(db)) throw new UsageException("--db: no experiment database at " + db);
            try (ExperimentStore store = ExperimentStore.open(db)) {
                System.out.printf("%-28s %-16s %-9s %9s %9s %s%n", "NAME", "TUNER", "DIRECTION", "FINISHED", "RUNNING", "BEST");
                for (String n : store.experimentNames()) {
                    ExperimentSpec s = store.experiment(n).orElseThrow();
                    List<StoredTrial> trials = store.trials(n);
                    long finished = trials.stream().filter(StoredTrial::finished).count();
                    System.out.printf("%-28s %-16s %-9s %9s %9d %s%n", n, s.tuner(), s.direction().name().toLowerCase(Locale.ROOT),
                            finished + "/" + s.maxTrials(), trials.size() - finished,
                            best(trials, s.direction()).map(t -> format(t.value()) + " (trial " + t.id() + ")").orElse("-"));
                }
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show an experiment's settings and trials.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the experiment")
        String name;
        @Option(names = "--db", defaultValue = DEFAULT_DB, description = "the experiment database (default: ${DEFAULT-VALUE})")
        Path db;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(db)) throw new UsageException("--db: no experiment database at " + db);
            try (ExperimentStore store = ExperimentStore.open(db)) {
                ExperimentSpec s = store.experiment(name).orElseThrow(() -> new UsageException(
                        "no experiment '" + name + "' in " + db + "; `sinter hpo list --db " + db + "` lists them"));
                List<StoredTrial> trials = store.trials(name);
                System.out.printf("experiment %s: tuner %s, seed %d, %s, %d trials planned%n", s.name(), s.tuner(), s.seed(),
                        s.direction().name().toLowerCase(Locale.ROOT), s.maxTrials());
                System.out.println("command: " + String.join(" ", s.command()));
                System.out.println("search space: " + s.searchSpaceJson());
                boolean jobs = trials.stream().anyMatch(t -> t.budget() != null);
                System.out.printf("%5s %-13s %12s %8s %13s %s %s%n", "TRIAL", "STATUS", "VALUE", "ATTEMPTS", "INTERMEDIATE",
                        jobs ? String.format("%6s %4s %7s ", "CONFIG", "RUNG", "BUDGET") : "", "PARAMETERS");
                for (StoredTrial t : trials)
                    System.out.printf("%5d %-13s %12s %8d %13d %s %s%s%n", t.id(), t.status(), Double.isNaN(t.value()) ? "-" : format(t.value()),
                            t.attempts(), t.intermediates().size(),
                            t.budget() == null ? "" : String.format("%6d %4d %7s ", t.budget().config(), t.budget().rung(),
                                    org.sinter.automl.manager.TrialProtocol.formatBudget(t.budget().budget())),
                            json(t.parameters()), t.error() == null ? "" : "  (" + t.error() + ")");
                best(trials, s.direction()).ifPresent(t -> System.out.printf("best: trial %d, %s, %s%n", t.id(), format(t.value()), json(t.parameters())));
            }
            return 0;
        }
    }

    @Command(name = "view", mixinStandardHelpOptions = true,
            description = "Write an experiment's report as one self-contained HTML page: best-so-far curve, intermediate results,"
                    + " parallel coordinates of parameters against the metric, and a sortable, filterable trial table.")
    static final class View implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "the experiment")
        String name;
        @Option(names = "--db", defaultValue = DEFAULT_DB, description = "the experiment database (default: ${DEFAULT-VALUE})")
        Path db;
        @Option(names = "--out", description = "the HTML file (default: <db dir>/NAME/report.html)")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(db)) throw new UsageException("--db: no experiment database at " + db);
            try (ExperimentStore store = ExperimentStore.open(db)) {
                ExperimentSpec s = store.experiment(name).orElseThrow(() -> new UsageException(
                        "no experiment '" + name + "' in " + db + "; `sinter hpo list --db " + db + "` lists them"));
                Path target = out != null ? out : db.toAbsolutePath().getParent().resolve(name).resolve("report.html");
                if (target.toAbsolutePath().getParent() != null) Files.createDirectories(target.toAbsolutePath().getParent());
                String html = org.sinter.automl.report.ExperimentReport.html(s, store.trials(name));
                org.sinter.io.AtomicFiles.write(target, html.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                System.out.println("wrote " + target);
            }
            return 0;
        }
    }

    @Command(name = "lab8-trial", mixinStandardHelpOptions = true,
            description = "Lab 8's trial program, for `hpo run --space examples/hpo/lab8-space.json ... -- ./sinter hpo lab8-trial`:"
                    + " trains the Fashion-MNIST MLP or CNN its $SINTER_PARAMETERS describe for $SINTER_BUDGET (else --epochs) epochs,"
                    + " resuming from $SINTER_CHECKPOINT_DIR, and reports validation accuracy per epoch.")
    static final class Lab8Trial implements Callable<Integer> {
        @Option(names = "--epochs", defaultValue = "3", description = "epochs when no scheduler sets the budget (default: ${DEFAULT-VALUE})")
        int epochs;
        @Option(names = "--train", defaultValue = "6000", description = "training images (the first of the training set; default: ${DEFAULT-VALUE})")
        int train;
        @Option(names = "--validation", defaultValue = "2000", description = "validation images (the last of the training set; default: ${DEFAULT-VALUE})")
        int validation;
        @Option(names = "--data", description = "the Fashion-MNIST directory (default: Debian's dataset-fashion-mnist)")
        Path data;

        @Override
        public Integer call() throws Exception {
            if (System.getenv(org.sinter.automl.manager.TrialProtocol.PARAMETERS_VARIABLE) == null)
                throw new UsageException("lab8-trial is a trial program: run it through `sinter hpo run ... -- ./sinter hpo lab8-trial`");
            if (epochs < 1 || train < 1 || validation < 1) throw new UsageException("--epochs, --train and --validation must be >= 1");
            List<String> args = new java.util.ArrayList<>(List.of("--epochs", "" + epochs, "--train", "" + train, "--validation", "" + validation));
            if (data != null) args.addAll(List.of("--data", data.toString()));
            org.sinter.automl.examples.FashionMnistTrial.main(args.toArray(String[]::new));
            return 0;
        }
    }

    static Optional<StoredTrial> best(List<StoredTrial> trials, Direction direction) {
        return trials.stream().filter(t -> t.status().equals("SUCCEEDED") && !Double.isNaN(t.value()))
                .min((a, b) -> Double.compare(direction.toLoss(a.value()), direction.toLoss(b.value())));
    }

    static long count(List<StoredTrial> trials, String status) {
        return trials.stream().filter(t -> t.status().equals(status)).count();
    }

    /** Parameters as the trial saw them: JSON. */
    static String json(java.util.Map<String, Object> parameters) {
        try {
            return SearchSpaceJson.MAPPER.writeValueAsString(parameters);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return parameters.toString();
        }
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
