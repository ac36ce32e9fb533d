package org.sinter.autotune.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.sinter.autotune.log.TuningLog;
import org.sinter.autotune.log.TuningRecord;
import org.sinter.autotune.model.CostModel;
import org.sinter.autotune.model.Transfer;
import org.sinter.autotune.model.XgbCostModel;
import org.sinter.autotune.search.RandomExplorer;
import org.sinter.autotune.search.SearchState;
import org.sinter.autotune.search.SimulatedAnnealingExplorer;
import org.sinter.autotune.space.Config;
import org.sinter.autotune.space.Template;
import org.sinter.autotune.space.Templates;
import org.sinter.autotune.te.ComputeDecl;
import org.sinter.autotune.te.Workloads;

/**
 * Why transfer helps or not, over a measured table (no measuring): for each transfer variant, how
 * well its base model alone ranks the target's configurations (Spearman's ρ against the table,
 * recall of the table's top 5% configurations in the model's top 64, the measured GFLOP/s of its
 * top 8 as a share of the table's best), beside a model trained on N random measurements of the
 * target itself; then, per seed, the trials simulated annealing with that transfer needs to reach
 * 95% of random search's best in BUDGET trials, beside the same search without transfer.
 *
 * A variant is '+'-separated: rank|reg (the base model's loss), med|fast (a history record's
 * label: its median or fastest repeat), all|inv (every feature column or the schedule ones only),
 * h&lt;N&gt;|hinf (the base margin's half-life in target samples), div&lt;x&gt; (the batch pick's
 * diversity weight), joint&lt;w&gt; (instead of a base margin, one model of the history and the
 * target's samples, the target's group weighted w; its loss is the base's), e.g.
 * "rank+med+all+hinf+div0.5" (the first version).
 *
 *   TransferStudy WORKLOAD SPACE_LOG HISTORY_LOG FIRST_SEED SEEDS BUDGET VARIANT...
 */
public final class TransferStudy {
    private TransferStudy() {}

    record Variant(String name, Transfer.Options base, double halfLife, double diversity, double jointWeight) {
        static Variant parse(String s) {
            XgbCostModel.Loss loss = XgbCostModel.Loss.RANK;
            boolean fast = false, inv = false;
            double half = Double.POSITIVE_INFINITY, div = 0.5, joint = 0;
            for (String t : s.split("\\+")) {
                switch (t) {
                    case "rank" -> loss = XgbCostModel.Loss.RANK;
                    case "reg" -> loss = XgbCostModel.Loss.REGRESSION;
                    case "med" -> fast = false;
                    case "fast" -> fast = true;
                    case "all" -> inv = false;
                    case "inv" -> inv = true;
                    case "hinf" -> half = Double.POSITIVE_INFINITY;
                    default -> {
                        if (t.startsWith("joint")) joint = Double.parseDouble(t.substring(5));
                        else if (t.startsWith("h")) half = Double.parseDouble(t.substring(1));
                        else if (t.startsWith("div")) div = Double.parseDouble(t.substring(3));
                        else throw new IllegalArgumentException("transfer study: unknown variant part '" + t + "' in " + s);
                    }
                }
            }
            return new Variant(s, new Transfer.Options(loss, 30, fast, inv), half, div, joint);
        }

        /** The new workload's cost model: a rank model on the base model's margin, or the joint model. */
        CostModel model(List<TuningRecord> history, String target, long seed) {
            if (jointWeight > 0) return Transfer.jointModel(history, target, base, jointWeight, seed);
            return new XgbCostModel(XgbCostModel.Loss.RANK, 30, Transfer.baseModel(history, target, base, seed), seed, halfLife);
        }
    }

    public static void main(String[] args) {
        if (args.length < 7) throw new IllegalArgumentException("usage: TransferStudy WORKLOAD SPACE_LOG HISTORY_LOG FIRST_SEED SEEDS BUDGET VARIANT...");
        ComputeDecl d = Workloads.parse(args[0]);
        Template t = Templates.of(d);
        SearchReplay replay = SearchReplay.fromLog(t, TuningLog.read(Path.of(args[1])));
        List<TuningRecord> history = TuningLog.read(Path.of(args[2]));
        int first = Integer.parseInt(args[3]), seeds = Integer.parseInt(args[4]), budget = Integer.parseInt(args[5]);
        List<Variant> variants = Arrays.stream(args, 6, args.length).map(Variant::parse).toList();

        SearchState st = new SearchState(t, 0);
        List<Config> valid = new ArrayList<>();
        for (Config c : replay.configs()) if (st.features(c) != null && replay.gflops(c) > 0) valid.add(c);
        double best = replay.best();
        List<float[]> feats = valid.stream().map(st::features).toList();
        double[] truth = valid.stream().mapToDouble(replay::gflops).toArray();
        System.out.printf(Locale.ROOT, "%s: %d valid configurations measured, best %.1f GFLOP/s, %d within 95%%; history %d records%n", d.workload(), valid.size(), best,
                replay.countAtLeast(0.95 * best), history.size());
        System.out.println("| model | Spearman ρ | top-5% recall in its top 64 | its top 1, top 8 best (% of best) |");
        System.out.println("| --- | ---: | ---: | ---: |");
        for (Variant v : variants) {
            CostModel base = Transfer.baseModel(history, d.workload(), v.base(), first);
            quality("base model, " + v.name(), base.predict(feats), truth, best);
        }
        for (int n : new int[] {8, 16, 32, 64}) {
            double[] sum = new double[4];
            for (int s = first; s < first + seeds; s++) {
                List<Config> sample = new ArrayList<>(valid);
                java.util.Collections.shuffle(sample, new java.util.Random(s));
                sample = sample.subList(0, n);
                XgbCostModel m = new XgbCostModel(XgbCostModel.Loss.RANK, 30, null, s);
                m.fit(sample.stream().map(st::features).toList(), sample.stream().map(replay::gflops).toList(), sample.stream().map(c -> 0).toList());
                double[] q = metrics(m.predict(feats), truth, best);
                for (int k = 0; k < 4; k++) sum[k] += q[k] / seeds;
            }
            print("target only, " + n + " random trials (mean of " + seeds + " seeds)", sum);
        }

        System.out.println();
        System.out.println("| strategy | trials to 95% of random's best-in-" + budget + ", seeds " + first + "–" + (first + seeds - 1) + " | mean | GFLOP/s after the first batch, mean |");
        System.out.println("| --- | --- | ---: | ---: |");
        int[] plain = new int[seeds];
        double[] plainFirst = new double[seeds];
        double[] target = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            long seed = first + s;
            target[s] = replay.run(new RandomExplorer(), null, seed, budget, budget, Double.POSITIVE_INFINITY).getLast();
            List<Double> c = replay.run(new SimulatedAnnealingExplorer(), new XgbCostModel(XgbCostModel.Loss.RANK, 30, null, seed), seed, replay.size(), 0, 0.95 * target[s]);
            plain[s] = SearchReplay.trialsToReach(c, 0.95 * target[s]);
            plainFirst[s] = c.get(7);
        }
        row("sa+xgb-rank (no transfer)", plain, plainFirst);
        for (Variant v : variants) {
            int[] to95 = new int[seeds];
            double[] firstBatch = new double[seeds];
            for (int s = 0; s < seeds; s++) {
                long seed = first + s;
                CostModel model = v.model(history, d.workload(), seed);
                List<Double> c = replay.run(new SimulatedAnnealingExplorer(64, 40, 0.05, v.diversity()), model, seed, replay.size(), 8, 0.95 * target[s]);
                to95[s] = SearchReplay.trialsToReach(c, 0.95 * target[s]);
                firstBatch[s] = c.get(7);
            }
            row("sa+xgb-rank+transfer " + v.name(), to95, firstBatch);
            SearchState fresh = new SearchState(t, first);
            fresh.restrictTo(replay.configs());
            fresh.setModel(v.model(history, d.workload(), first));
            StringBuilder picks = new StringBuilder();
            for (Config c : new SimulatedAnnealingExplorer(64, 40, 0.05, v.diversity()).next(8, fresh)) {
                picks.append(String.format(Locale.ROOT, " %s=%.0f%%", c.values().values(), 100 * replay.gflops(c) / best));
            }
            System.out.println("  first batch (seed " + first + ", lanes/tile_i/tile_j/tile_k/unroll_k: % of best):" + picks);
            System.out.printf(Locale.ROOT, "  ratio to no transfer: %.2fx fewer trials%n", mean(plain) / mean(to95));
        }
    }

    private static void quality(String label, double[] pred, double[] truth, double best) {
        print(label, metrics(pred, truth, best));
    }

    private static void print(String label, double[] q) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.0f%%, %.0f%% |%n", label, q[0], q[1], 100 * q[2], 100 * q[3]);
    }

    /** Spearman's ρ, recall of the top 5% (by 95% of the best) in the predicted top 64, the predicted top 1's and best of top 8's share of the best. */
    public static double[] metrics(double[] pred, double[] truth, double best) {
        Integer[] order = new Integer[pred.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> -pred[i]));
        int good = 0, hit = 0;
        for (double x : truth) if (x >= 0.95 * best) good++;
        for (int k = 0; k < Math.min(64, order.length); k++) if (truth[order[k]] >= 0.95 * best) hit++;
        double top8 = 0;
        for (int k = 0; k < Math.min(8, order.length); k++) top8 = Math.max(top8, truth[order[k]]);
        return new double[] {spearman(pred, truth), good == 0 ? 0 : (double) hit / good, truth[order[0]] / best, top8 / best};
    }

    public static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a), rb = ranks(b);
        double ma = Arrays.stream(ra).average().orElse(0), mb = Arrays.stream(rb).average().orElse(0), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < ra.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    /** Ranks with ties sharing their mean rank. */
    private static double[] ranks(double[] x) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingDouble(i -> x[i]));
        double[] r = new double[x.length];
        for (int i = 0; i < order.length;) {
            int j = i;
            while (j + 1 < order.length && x[order[j + 1]] == x[order[i]]) j++;
            for (int k = i; k <= j; k++) r[order[k]] = (i + j) / 2.0;
            i = j + 1;
        }
        return r;
    }

    private static void row(String label, int[] to95, double[] firstBatch) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f |%n", label, Arrays.toString(to95), mean(to95), Arrays.stream(firstBatch).average().orElse(0));
    }

    private static double mean(int[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
