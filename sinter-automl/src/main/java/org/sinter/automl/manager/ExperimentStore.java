package org.sinter.automl.manager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sinter.automl.experiment.Direction;
import org.sinter.automl.space.SearchSpaceJson;

/**
 * The durable experiment journal: a SQLite database (as NNI and Optuna keep theirs) in WAL mode
 * with {@code synchronous=FULL}, so every committed statement survives a kill -9 of the manager
 * (and a power loss). A trial is inserted as RUNNING, in its own transaction, before its process
 * is launched, and updated to its end state in one transaction when it ends: after a crash a trial
 * is either finished, with its result, or RUNNING and rerun with the same parameters, never lost
 * and never completed twice. One database may hold many experiments, keyed by name. All methods
 * are synchronised: the manager's trial threads report intermediate results concurrently.
 */
public final class ExperimentStore implements Closeable {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final Path file;
    private final Connection db;

    private ExperimentStore(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    public static ExperimentStore open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try {
            // Every transaction begins IMMEDIATE (takes the write lock, waiting out busy_timeout): a deferred one that
            // reads, then writes after another connection's commit, gets SQLITE_BUSY at once in WAL mode, without the
            // busy handler (startAttempt's read-then-insert failed so under load in ProcessKillNineTest).
            java.util.Properties options = new java.util.Properties();
            options.setProperty("transaction_mode", "IMMEDIATE");
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), options);
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA busy_timeout=10000");
                enableWal(s);
                s.execute("PRAGMA synchronous=FULL");
                // The schema is checked and completed in one write transaction: a second process opening the
                // same file at the same moment (the web UI beside `hpo run`) waits, then sees the columns added.
                s.execute("BEGIN IMMEDIATE");
                try {
                    createSchema(s);
                    s.execute("COMMIT");
                } catch (SQLException e) {
                    s.execute("ROLLBACK");
                    throw e;
                }
            }
            return new ExperimentStore(file, db);
        } catch (SQLException e) {
            throw new IOException(file + ": cannot open the experiment database: " + e.getMessage(), e);
        }
    }

    /**
     * Switches the file to write-ahead logging. On a new file that switch needs the exclusive lock,
     * and SQLite answers SQLITE_BUSY at once (without the busy handler) when another connection
     * opening the same file holds its shared lock, so the switch is retried for the busy timeout.
     */
    private static void enableWal(Statement s) throws SQLException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                s.execute("PRAGMA journal_mode=WAL");
                return;
            } catch (SQLException e) {
                boolean busy = e.getMessage() != null && e.getMessage().contains("SQLITE_BUSY");
                if (!busy || System.nanoTime() > deadline) throw e;
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void createSchema(Statement s) throws SQLException {
        s.execute("""
                CREATE TABLE IF NOT EXISTS experiments (
                  name TEXT PRIMARY KEY, search_space TEXT NOT NULL, tuner TEXT NOT NULL, seed INTEGER NOT NULL,
                  direction TEXT NOT NULL, command TEXT NOT NULL, max_trials INTEGER NOT NULL, created INTEGER NOT NULL)""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS trials (
                  experiment TEXT NOT NULL REFERENCES experiments(name), id INTEGER NOT NULL, parameters TEXT NOT NULL,
                  status TEXT NOT NULL, value REAL, attempts INTEGER NOT NULL, error TEXT,
                  started INTEGER NOT NULL, ended INTEGER, PRIMARY KEY (experiment, id))""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS intermediates (
                  experiment TEXT NOT NULL, trial INTEGER NOT NULL, attempt INTEGER NOT NULL, step INTEGER NOT NULL,
                  value REAL NOT NULL, PRIMARY KEY (experiment, trial, attempt, step))""");
        addMissingColumns(s);
    }

    /**
     * The multi-fidelity columns (and the end sequence) came after the first databases were written:
     * a database without them gets them, empty, so old experiments still open and resume.
     */
    private static void addMissingColumns(Statement s) throws SQLException {
        java.util.Set<String> have = new java.util.HashSet<>();
        try (ResultSet r = s.executeQuery("PRAGMA table_info(trials)")) {
            while (r.next()) have.add(r.getString("name"));
        }
        String[][] wanted = {{"config", "INTEGER"}, {"rung", "INTEGER"}, {"budget", "REAL"}, {"issued_after", "INTEGER"},
                {"end_seq", "INTEGER"}, {"pid", "INTEGER"}, {"pid_started", "INTEGER"}};
        for (String[] c : wanted) if (!have.contains(c[0])) s.execute("ALTER TABLE trials ADD COLUMN " + c[0] + " " + c[1]);
    }

    public Path file() { return file; }

    /**
     * Registers {@code spec}, or checks it against the stored experiment of the same name (same
     * space, tuner, seed, direction and command) and raises the stored trial budget to its maxTrials.
     */
    public synchronized void register(ExperimentSpec spec) throws IOException {
        Optional<ExperimentSpec> stored = experiment(spec.name());
        try {
            if (stored.isEmpty()) {
                try (PreparedStatement p = db.prepareStatement("INSERT INTO experiments VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    p.setString(1, spec.name());
                    p.setString(2, spec.searchSpaceJson());
                    p.setString(3, spec.tuner());
                    p.setLong(4, spec.seed());
                    p.setString(5, spec.direction().name());
                    p.setString(6, json(spec.command()));
                    p.setInt(7, spec.maxTrials());
                    p.setLong(8, System.currentTimeMillis());
                    p.executeUpdate();
                }
                return;
            }
            ExperimentSpec s = stored.get();
            List<String> differ = new ArrayList<>();
            if (!SearchSpaceJson.MAPPER.readTree(s.searchSpaceJson()).equals(SearchSpaceJson.MAPPER.readTree(spec.searchSpaceJson())))
                differ.add("search space");
            if (!s.tuner().equals(spec.tuner())) differ.add("tuner (" + s.tuner() + " stored, " + spec.tuner() + " given)");
            if (s.seed() != spec.seed()) differ.add("seed (" + s.seed() + " stored, " + spec.seed() + " given)");
            if (s.direction() != spec.direction()) differ.add("direction (" + s.direction() + " stored)");
            if (!s.command().equals(spec.command())) differ.add("trial command (" + String.join(" ", s.command()) + " stored)");
            if (!differ.isEmpty())
                throw new IllegalArgumentException("experiment '" + spec.name() + "' in " + file + " was started with another "
                        + String.join(", ", differ) + "; resume it with the same settings or choose a new --name");
            if (spec.maxTrials() > s.maxTrials()) {
                try (PreparedStatement p = db.prepareStatement("UPDATE experiments SET max_trials = ? WHERE name = ?")) {
                    p.setInt(1, spec.maxTrials());
                    p.setString(2, spec.name());
                    p.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw failure("register experiment '" + spec.name() + "'", e);
        }
    }

    public synchronized Optional<ExperimentSpec> experiment(String name) throws IOException {
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM experiments WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) return Optional.empty();
                return Optional.of(new ExperimentSpec(r.getString("name"), r.getString("search_space"), r.getString("tuner"),
                        r.getLong("seed"), Direction.valueOf(r.getString("direction")),
                        SearchSpaceJson.MAPPER.readValue(r.getString("command"), STRINGS), r.getInt("max_trials")));
            }
        } catch (SQLException e) {
            throw failure("read experiment '" + name + "'", e);
        }
    }

    public synchronized List<String> experimentNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT name FROM experiments ORDER BY created, name")) {
            while (r.next()) names.add(r.getString(1));
        } catch (SQLException e) {
            throw failure("list experiments", e);
        }
        return names;
    }

    /** Trial {@code id} starts (again): inserted as RUNNING with attempt 1, or its attempt count raised. */
    public synchronized int startAttempt(String experiment, int id, Map<String, Object> parameters) throws IOException {
        return startAttempt(experiment, id, parameters, null);
    }

    /**
     * Multi-fidelity job {@code id} starts (again), with its configuration, rung and budget ({@code budget} null for a
     * plain trial); the budget is stored with the first attempt only.
     */
    public synchronized int startAttempt(String experiment, int id, Map<String, Object> parameters, TrialBudget budget)
            throws IOException {
        try {
            db.setAutoCommit(false);
            int attempts;
            try (PreparedStatement p = db.prepareStatement("SELECT attempts, status FROM trials WHERE experiment = ? AND id = ?")) {
                p.setString(1, experiment);
                p.setInt(2, id);
                try (ResultSet r = p.executeQuery()) {
                    if (r.next()) {
                        if (!"RUNNING".equals(r.getString(2)))
                            throw new IllegalStateException("trial " + id + " of '" + experiment + "' already ended as " + r.getString(2));
                        attempts = r.getInt(1) + 1;
                    } else {
                        attempts = 0;
                    }
                }
            }
            if (attempts == 0) {
                attempts = 1;
                try (PreparedStatement p = db.prepareStatement(
                        "INSERT INTO trials (experiment, id, parameters, status, attempts, started, config, rung, budget, issued_after)"
                                + " VALUES (?, ?, ?, 'RUNNING', 1, ?, ?, ?, ?, ?)")) {
                    p.setString(1, experiment);
                    p.setInt(2, id);
                    p.setString(3, json(parameters));
                    p.setLong(4, System.currentTimeMillis());
                    if (budget == null) {
                        for (int i = 5; i <= 8; i++) p.setNull(i, java.sql.Types.INTEGER);
                    } else {
                        p.setInt(5, budget.config());
                        p.setInt(6, budget.rung());
                        p.setDouble(7, budget.budget());
                        p.setInt(8, budget.issuedAfter());
                    }
                    p.executeUpdate();
                }
            } else {
                try (PreparedStatement p = db.prepareStatement("UPDATE trials SET attempts = ? WHERE experiment = ? AND id = ?")) {
                    p.setInt(1, attempts);
                    p.setString(2, experiment);
                    p.setInt(3, id);
                    p.executeUpdate();
                }
            }
            db.commit();
            return attempts;
        } catch (SQLException e) {
            rollback();
            throw failure("start trial " + id, e);
        } finally {
            autoCommit();
        }
    }

    public synchronized void intermediate(String experiment, int trial, int attempt, int step, double value) throws IOException {
        try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO intermediates VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, experiment);
            p.setInt(2, trial);
            p.setInt(3, attempt);
            p.setInt(4, step);
            p.setDouble(5, value);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure("record an intermediate result of trial " + trial, e);
        }
    }

    /**
     * The process of trial {@code id}'s current attempt: its pid and start time (which tell it apart from a later
     * process that reuses the pid), so a restarted manager can kill what a SIGKILLed one left running.
     */
    public synchronized void processStarted(String experiment, int id, ProcessHandle process) throws IOException {
        try (PreparedStatement p = db.prepareStatement("UPDATE trials SET pid = ?, pid_started = ? WHERE experiment = ? AND id = ?")) {
            p.setLong(1, process.pid());
            p.setLong(2, process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L));
            p.setString(3, experiment);
            p.setInt(4, id);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure("record the process of trial " + id, e);
        }
    }

    /**
     * The processes that RUNNING trials of {@code experiment} were last journaled with and that are still alive
     * (same pid, same start time): orphans of a manager that died without stopping them.
     */
    public synchronized List<ProcessHandle> orphans(String experiment) throws IOException {
        List<ProcessHandle> alive = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement(
                "SELECT pid, pid_started FROM trials WHERE experiment = ? AND status = 'RUNNING' AND pid IS NOT NULL")) {
            p.setString(1, experiment);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    long started = r.getLong(2);
                    ProcessHandle.of(r.getLong(1))
                            .filter(h -> started >= 0 && h.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-2L) == started)
                            .ifPresent(alive::add);
                }
            }
        } catch (SQLException e) {
            throw failure("read the processes of running trials", e);
        }
        return alive;
    }

    /** Trial {@code id} ended; refuses to end a trial twice, which would be a duplicated result. */
    public synchronized void end(String experiment, int id, String status, double value, String error) throws IOException {
        try (PreparedStatement p = db.prepareStatement(
                "UPDATE trials SET status = ?, value = ?, error = ?, ended = ?,"
                        + " end_seq = (SELECT COALESCE(MAX(end_seq), 0) + 1 FROM trials WHERE experiment = ?)"
                        + " WHERE experiment = ? AND id = ? AND status = 'RUNNING'")) {
            p.setString(1, status);
            if (Double.isNaN(value)) p.setNull(2, java.sql.Types.REAL); else p.setDouble(2, value);
            p.setString(3, error);
            p.setLong(4, System.currentTimeMillis());
            p.setString(5, experiment);
            p.setString(6, experiment);
            p.setInt(7, id);
            if (p.executeUpdate() != 1) throw new IllegalStateException("trial " + id + " of '" + experiment + "' is not running");
        } catch (SQLException e) {
            throw failure("end trial " + id, e);
        }
    }

    /** Every trial of {@code experiment} in id order, with the intermediate results of its last attempt. */
    public synchronized List<StoredTrial> trials(String experiment) throws IOException {
        List<StoredTrial> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT * FROM trials WHERE experiment = ? ORDER BY id");
             PreparedStatement q = db.prepareStatement(
                     "SELECT value FROM intermediates WHERE experiment = ? AND trial = ? AND attempt = ? ORDER BY step")) {
            p.setString(1, experiment);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    int id = r.getInt("id"), attempts = r.getInt("attempts");
                    List<Double> values = new ArrayList<>();
                    q.setString(1, experiment);
                    q.setInt(2, id);
                    q.setInt(3, attempts);
                    try (ResultSet iv = q.executeQuery()) {
                        while (iv.next()) values.add(iv.getDouble(1));
                    }
                    double value = r.getDouble("value");
                    if (r.wasNull()) value = Double.NaN;
                    TrialBudget budget = null;
                    int config = r.getInt("config");
                    if (!r.wasNull())
                        budget = new TrialBudget(config, r.getInt("rung"), r.getDouble("budget"), r.getInt("issued_after"));
                    out.add(new StoredTrial(id, SearchSpaceJson.MAPPER.readValue(r.getString("parameters"), MAP), r.getString("status"),
                            value, attempts, r.getString("error"), values, r.getLong("started"), r.getLong("ended"),
                            budget, r.getInt("end_seq")));
                }
            }
        } catch (SQLException e) {
            throw failure("read the trials of '" + experiment + "'", e);
        }
        return out;
    }

    private static String json(Object value) throws JsonProcessingException {
        return SearchSpaceJson.MAPPER.writeValueAsString(value);
    }

    private IOException failure(String what, SQLException e) {
        return new IOException(file + ": cannot " + what + ": " + e.getMessage(), e);
    }

    private void rollback() {
        try { db.rollback(); } catch (SQLException ignored) { /* the failure being reported matters more */ }
    }

    private void autoCommit() {
        try { db.setAutoCommit(true); } catch (SQLException ignored) { /* reported by the next statement */ }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            db.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
