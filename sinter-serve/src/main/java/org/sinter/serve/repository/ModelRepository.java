package org.sinter.serve.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.sinter.serve.ServeException;
import org.sinter.serve.batching.BatchObserver;
import org.sinter.serve.config.ModelConfig;
import org.sinter.serve.runtime.ModelFactory;

/**
 * A directory of models ({@code root/<model>/config.json}, {@code root/<model>/<version>/model.safetensors})
 * and the versions of them being served. Models load at start, through {@link #load}/{@link #unload}
 * (the repository API) and, when polling, whenever their files change. A model that fails to load is
 * recorded with its reason; the others are not affected, and a failed reload leaves the versions
 * already serving in place.
 */
public final class ModelRepository implements AutoCloseable {
    private final Path root;
    private final VersionLoader loader;
    /** Served versions by model: swapped whole on load, so readers never see half a reload. */
    private final Map<String, NavigableMap<Long, LoadedVersion>> serving = new ConcurrentHashMap<>();
    /** Why a model is not (or not fully) serving: the last failed load, or "unloaded". */
    private final Map<String, String> reasons = new ConcurrentHashMap<>();
    /** What each model's files looked like when last loaded, for polling. */
    private final Map<String, String> fingerprints = new ConcurrentHashMap<>();
    private ScheduledExecutorService poller;

    /** @param observers the metrics observer for a (model, version) */
    public ModelRepository(Path root, ModelFactory factory, BiFunction<String, Long, BatchObserver> observers) {
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("model repository " + root + " is not a directory");
        this.root = root;
        this.loader = new VersionLoader(factory, observers);
    }

    public Path root() {
        return root;
    }

    /** Loads every model in the directory; failures are recorded, not thrown. */
    public synchronized void loadAll() {
        for (String name : modelDirectories()) {
            try {
                load(name);
            } catch (ServeException e) {
                // recorded in reasons; the other models still load
            }
        }
    }

    /**
     * Loads (or reloads) a model: reads its config, loads the versions its policy selects, then swaps
     * them in and drains the versions they replace.
     *
     * @throws ServeException 400 with the reason when it fails (the reason is also kept for the index)
     */
    public synchronized void load(String name) {
        checkName(name);
        Path dir = root.resolve(name);
        String fingerprint = fingerprint(dir);
        NavigableMap<Long, LoadedVersion> fresh = new TreeMap<>();
        if (!Files.isDirectory(dir) && !serving.containsKey(name)) {
            // Not in the repository (as Triton answers "failed to poll from model repository"): nothing
            // is recorded, so the index keeps listing only the repository's models and a client loading
            // made-up names does not grow it; the name stays an unknown model (404).
            reasons.remove(name);
            fingerprints.remove(name);
            throw ServeException.badRequest("failed to load '" + name + "': no model directory " + dir + " in the repository");
        }
        try {
            if (!Files.isDirectory(dir)) throw new IllegalArgumentException("no model directory " + dir);
            ModelConfig config = ModelConfig.read(dir);
            SortedSet<Long> present = versionDirectories(dir);
            SortedSet<Long> chosen = config.versionPolicy().select(present);
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException(dir + ": no version directory matches the version policy " + config.versionPolicy()
                        + " (present: " + present + ")");
            }
            for (long v : chosen) fresh.put(v, loader.load(name, v, dir.resolve(Long.toString(v)), config));
        } catch (IOException | RuntimeException e) {
            fresh.values().forEach(LoadedVersion::close);
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            reasons.put(name, serving.containsKey(name) ? "reload failed, previous versions still serving: " + reason : reason);
            fingerprints.put(name, fingerprint);
            throw ServeException.badRequest("failed to load '" + name + "': " + reason);
        }
        NavigableMap<Long, LoadedVersion> old = serving.put(name, Collections.unmodifiableNavigableMap(fresh));
        reasons.remove(name);
        fingerprints.put(name, fingerprint);
        if (old != null) old.values().forEach(LoadedVersion::close);
    }

    /** Stops serving a model: new requests are refused, queued ones finish. */
    public synchronized void unload(String name) {
        checkName(name);
        NavigableMap<Long, LoadedVersion> old = serving.remove(name);
        if (old == null && !reasons.containsKey(name)) throw ServeException.notFound("model '" + name + "' is not loaded");
        reasons.put(name, "unloaded");
        if (old != null) old.values().forEach(LoadedVersion::close);
    }

    /**
     * The version to run: the given one, or the highest served one when {@code version} is null.
     *
     * @throws ServeException 404 for an unknown model or version, 400 when the model is not ready (with why)
     */
    public LoadedVersion get(String name, Long version) {
        NavigableMap<Long, LoadedVersion> versions = serving.get(name);
        if (versions == null || versions.isEmpty()) {
            String reason = reasons.get(name);
            // As in the index: a model neither served nor in the repository any more is unknown.
            if (reason == null || !Files.isDirectory(root.resolve(name))) throw ServeException.notFound("unknown model '" + name + "'");
            throw ServeException.badRequest("model '" + name + "' is not ready: " + reason);
        }
        if (version == null) return versions.lastEntry().getValue();
        LoadedVersion v = versions.get(version);
        if (v == null) throw ServeException.notFound("model '" + name + "' has no ready version " + version + "; ready: " + versions.keySet());
        return v;
    }

    /** The served versions of a model (empty when none). */
    public List<Long> versions(String name) {
        NavigableMap<Long, LoadedVersion> versions = serving.get(name);
        return versions == null ? List.of() : List.copyOf(versions.keySet());
    }

    /**
     * Every model in the repository or served, with each served version's state and every failure's
     * reason. A model whose directory is gone and that serves nothing (unloaded, then removed) is no
     * longer listed.
     */
    public List<IndexEntry> index() {
        TreeSet<String> names = new TreeSet<>(modelDirectories());
        names.addAll(serving.keySet());
        for (String name : reasons.keySet()) {
            if (Files.isDirectory(root.resolve(name))) names.add(name);
        }
        List<IndexEntry> out = new ArrayList<>();
        for (String name : names) {
            NavigableMap<Long, LoadedVersion> versions = serving.get(name);
            String reason = reasons.getOrDefault(name, "");
            if (versions != null) {
                for (long v : versions.keySet()) out.add(new IndexEntry(name, v, ModelState.READY, reason));
            } else {
                out.add(new IndexEntry(name, null, ModelState.UNAVAILABLE, reasons.getOrDefault(name, "not loaded")));
            }
        }
        return out;
    }

    /**
     * Brings the served models in line with the directory: loads new models, reloads changed ones,
     * unloads removed ones. Models unloaded through the API stay unloaded until their files change.
     */
    public synchronized void poll() {
        List<String> onDisk = modelDirectories();
        for (String name : onDisk) {
            String now = fingerprint(root.resolve(name));
            if (now.equals(fingerprints.get(name))) continue;
            try {
                load(name);
            } catch (ServeException e) {
                // recorded in reasons
            }
        }
        for (String name : List.copyOf(serving.keySet())) {
            if (!onDisk.contains(name)) {
                unload(name);
                fingerprints.remove(name);
            }
        }
    }

    /** Polls the directory every {@code seconds} on a background thread. */
    public synchronized void startPolling(double seconds) {
        if (poller != null) return;
        long period = Math.max(1, (long) (seconds * 1000));
        poller = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("sinter-serve repository poll").daemon().unstarted(r));
        poller.scheduleWithFixedDelay(() -> {
            try {
                poll();
            } catch (RuntimeException e) {
                System.err.println("sinter serve: polling " + root + " failed: " + e.getMessage());
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops polling and unloads every model, letting queued requests finish. */
    @Override
    public synchronized void close() {
        if (poller != null) poller.shutdownNow();
        for (String name : List.copyOf(serving.keySet())) {
            NavigableMap<Long, LoadedVersion> old = serving.remove(name);
            if (old != null) old.values().forEach(LoadedVersion::close);
        }
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw ServeException.badRequest("invalid model name '" + name + "'");
        }
    }

    private List<String> modelDirectories() {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(ModelConfig.FILE)))
                    .map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list model repository " + root, e);
        }
    }

    static SortedSet<Long> versionDirectories(Path dir) throws IOException {
        TreeSet<Long> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) && n.matches("[1-9][0-9]{0,17}")) out.add(Long.parseLong(n));
            }
        }
        return out;
    }

    /** Names, sizes and modification times of the model's files: a change in any means reload. */
    private static String fingerprint(Path dir) {
        if (!Files.isDirectory(dir)) return "";
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir, 2)) {
            for (Path p : s.sorted().toList()) {
                if (!Files.isRegularFile(p)) continue;
                sb.append(dir.relativize(p)).append(':').append(Files.size(p)).append(':')
                        .append(Files.getLastModifiedTime(p).toMillis()).append(';');
            }
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
        return sb.toString();
    }
}
