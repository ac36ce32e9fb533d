package org.sinter.onnx.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.sinter.DType;
import org.sinter.Tensor;
import org.sinter.compiler.CompileOptions;
import org.sinter.onnx.OnnxException;
import org.sinter.onnx.OnnxModel;
import org.sinter.onnx.OnnxOptional;
import org.sinter.onnx.OnnxSequence;
import org.sinter.onnx.ValueInfo;
import org.sinter.onnx.proto.Onnx.ModelProto;

/**
 * The protobuf-field fuzzer: each case takes a real model file, applies one to three
 * {@link FieldMutator} mutations, loads the result and, when it loads, runs it on generated
 * inputs. A case must end in a correct load (and a run, or an {@link OnnxException} from the run)
 * or an {@link OnnxException} at load time; anything else (another exception, a stack overflow,
 * running out of memory) is a crash, and a case still running after the time limit is a hang.
 * Cases run one at a time on a worker thread; a hung worker is abandoned (it is a daemon) and a
 * fresh one takes the next case.
 */
public final class FieldFuzzer {
    public enum Outcome { LOADED_AND_RAN, REFUSED_AT_RUN, REFUSED_AT_LOAD, INPUTS_TOO_LARGE, CRASH, HANG }

    /** One case's result: which seed file, the mutations, what happened and how long it took. */
    public record Case(int index, String seed, List<String> mutations, Outcome outcome, String detail, long millis) {}

    /** Inputs larger than this many elements are not generated (the model loaded; running it would only test the harness's memory). */
    static final long MAX_INPUT_ELEMENTS = 1 << 22;

    private final List<Path> seeds;
    private final List<ModelProto> models = new ArrayList<>();
    private final long timeoutMillis;
    private final CompileOptions options = CompileOptions.defaults().withFrozenParameters();
    private ExecutorService worker = newWorker();

    public FieldFuzzer(List<Path> seeds, long timeoutMillis) throws IOException {
        if (seeds.isEmpty()) throw new IllegalArgumentException("no seed models");
        this.seeds = List.copyOf(seeds);
        for (Path p : seeds) models.add(ModelProto.parseFrom(Files.readAllBytes(p)));
        this.timeoutMillis = timeoutMillis;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "onnx-fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs cases {@code from} (inclusive) to {@code to} (exclusive) of the sequence {@code seed} defines. */
    public List<Case> run(long seed, int from, int to) {
        List<Case> out = new ArrayList<>();
        for (int i = from; i < to; i++) out.add(runCase(seed, i));
        return out;
    }

    /** Case {@code index} of the sequence for {@code seed}: the same case whatever ran before it. */
    public Case runCase(long seed, int index) {
        Random pick = new Random(seed * 1_000_003L + index);
        int s = pick.nextInt(models.size());
        List<String> applied = new ArrayList<>();
        byte[] bytes = new FieldMutator(pick.nextLong()).mutate(models.get(s), 1 + pick.nextInt(3), applied).toByteArray();
        long inputSeed = pick.nextLong();
        String name = seeds.get(s).getFileName() + "#" + index;
        long start = System.nanoTime();
        Future<String[]> f = worker.submit(() -> attempt(bytes, name, inputSeed));
        Outcome outcome;
        String detail;
        try {
            String[] r = f.get(timeoutMillis, TimeUnit.MILLISECONDS);
            outcome = Outcome.valueOf(r[0]);
            detail = r[1];
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            outcome = Outcome.HANG;
            detail = "still running after " + timeoutMillis + " ms";
        } catch (ExecutionException e) {
            outcome = Outcome.CRASH;
            detail = e.getCause().toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return new Case(index, seeds.get(s).toString(), applied, outcome, detail, (System.nanoTime() - start) / 1_000_000);
    }

    /** Loads and runs one mutated model; returns {outcome, detail}. Throwables other than OnnxException escape as crashes. */
    private String[] attempt(byte[] bytes, String name, long inputSeed) {
        OnnxModel model;
        try {
            model = OnnxModel.load(bytes, name, options);
        } catch (OnnxException e) {
            return new String[] {Outcome.REFUSED_AT_LOAD.name(), e.getMessage()};
        } catch (Throwable t) {
            return new String[] {Outcome.CRASH.name(), "at load: " + t};
        }
        Object[] inputs = inputs(model.inputs(), new Random(inputSeed));
        if (inputs == null) return new String[] {Outcome.INPUTS_TOO_LARGE.name(), "declared inputs over " + MAX_INPUT_ELEMENTS + " elements"};
        try {
            model.callValues(inputs);
            return new String[] {Outcome.LOADED_AND_RAN.name(), ""};
        } catch (OnnxException e) {
            return new String[] {Outcome.REFUSED_AT_RUN.name(), e.getMessage()};
        } catch (Throwable t) {
            return new String[] {Outcome.CRASH.name(), "at run: " + t};
        }
    }

    /** Inputs of the declared types and shapes (unknown sizes: 2), small values; null when too large to build. */
    static Object[] inputs(List<ValueInfo> declared, Random r) {
        Object[] out = new Object[declared.size()];
        for (int i = 0; i < out.length; i++) {
            ValueInfo v = declared.get(i);
            if (v.kind() == ValueInfo.Kind.SEQUENCE) { out[i] = new OnnxSequence(List.of(Tensor.randn(2))); continue; }
            if (v.kind() == ValueInfo.Kind.OPTIONAL) { out[i] = OnnxOptional.EMPTY; continue; }
            int[] shape = v.shape() == null ? new int[] {2} : v.shape().stream().mapToInt(d -> d.fixed() ? (int) Math.min(d.size(), Integer.MAX_VALUE) : 2).toArray();
            long n = 1;
            for (int d : shape) {
                n *= d;
                if (n > MAX_INPUT_ELEMENTS) return null;
            }
            if (v.kind() == ValueInfo.Kind.STRINGS) {
                List<String> words = new java.util.ArrayList<>();
                for (long k = 0; k < n; k++) words.add(r.nextBoolean() ? "monday" : Integer.toString(r.nextInt(10)));
                out[i] = org.sinter.onnx.OnnxStrings.of(words, shape);
                continue;
            }
            DType dtype = v.dtype() == null ? DType.FLOAT32 : v.dtype();
            Tensor t = switch (dtype) {
                case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> Tensor.randn(shape).to(dtype);
                case BOOL -> Tensor.randn(shape).gt(0.0);
                default -> Tensor.randn(shape).abs().mul(1.5).floor().to(dtype); // 0, 1, 2...: valid indices and sizes, mostly
            };
            out[i] = t;
        }
        return out;
    }

    /** Counts by outcome. */
    public static Map<Outcome, Integer> tally(List<Case> cases) {
        Map<Outcome, Integer> m = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) m.put(o, 0);
        for (Case c : cases) m.merge(c.outcome(), 1, Integer::sum);
        return m;
    }

    /** Counts by mutation kind (a case counts once per kind it applied). */
    public static Map<String, Integer> byKind(List<Case> cases) {
        Map<String, Integer> m = new TreeMap<>();
        for (Case c : cases) for (String k : c.mutations().stream().map(s -> s.substring(0, s.indexOf(':'))).distinct().toList()) m.merge(k, 1, Integer::sum);
        return m;
    }

    /**
     * {@code FieldFuzzer CASES SEED TIMEOUT_MS MODEL.onnx...}: runs the cases, prints each crash and
     * hang, the counts by outcome and by mutation, and the slowest case; exits 1 if any case crashed or hung.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: FieldFuzzer CASES SEED TIMEOUT_MS MODEL.onnx...");
            System.exit(2);
        }
        // CASES is a count, or FROM-TO (to rerun one case or a range: cases depend only on SEED and their index).
        int from = args[0].contains("-") ? Integer.parseInt(args[0].substring(0, args[0].indexOf('-'))) : 0;
        int cases = args[0].contains("-") ? Integer.parseInt(args[0].substring(args[0].indexOf('-') + 1)) : Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        long timeout = Long.parseLong(args[2]);
        List<Path> seedFiles = new ArrayList<>();
        for (int i = 3; i < args.length; i++) seedFiles.add(Path.of(args[i]));
        FieldFuzzer fuzzer = new FieldFuzzer(seedFiles, timeout);
        long start = System.nanoTime();
        List<Case> all = new ArrayList<>();
        Case slowest = null;
        for (int i = from; i < cases; i++) {
            Case c = fuzzer.runCase(seed, i);
            all.add(c);
            if (slowest == null || c.millis() > slowest.millis()) slowest = c;
            if (c.outcome() == Outcome.CRASH || c.outcome() == Outcome.HANG) {
                System.out.println(c.outcome() + " case " + i + " seed " + c.seed() + " " + c.mutations() + ": " + c.detail());
            }
            if ((i + 1 - from) % 1000 == 0) System.out.println((i + 1) + " cases: " + tally(all));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d cases, seed %d, %d seed models, %.0f s: %s%n", all.size(), seed, seedFiles.size(), seconds, tally(all));
        System.out.println("by mutation: " + byKind(all));
        if (slowest != null) System.out.println("slowest case: " + slowest.index() + " (" + slowest.millis() + " ms, " + slowest.outcome() + ", " + slowest.seed() + ")");
        Map<Outcome, Integer> t = tally(all);
        System.exit(t.get(Outcome.CRASH) + t.get(Outcome.HANG) == 0 ? 0 : 1);
    }
}
