package org.sinter.learned.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.sinter.learned.index.BinarySearchIndex;
import org.sinter.learned.index.SortedLongIndex;
import org.sinter.learned.index.StaticBPlusTree;
import org.sinter.learned.index.TreeMapIndex;
import org.sinter.learned.index.pgm.PgmIndex;
import org.sinter.learned.index.rmi.RecursiveModelIndex;
import org.sinter.learned.index.rmi.RmiConfig;

/**
 * Structure specs as the benchmark takes them, comma-separated: {@code binary}, {@code btree[:FANOUT]},
 * {@code treemap}, {@code rmi:ROOT:LEAVES[:exp]} (ROOT linear, cubic or nn), {@code pgm:EPS[:exp]}.
 */
public final class Structures {
    /** The default line-up: the baselines, then RMIs of each root type, then PGM-indexes. */
    public static final String DEFAULT = "binary,btree,treemap,rmi:linear:16384,rmi:linear:1048576,rmi:cubic:16384,rmi:cubic:16384:exp,rmi:nn:16384,pgm:64,pgm:64:exp,pgm:256:exp";

    /** Above this many keys the default line-up leaves TreeMap out: at ~72 bytes a key it would need 7 GiB at 100M. */
    public static final int TREEMAP_DEFAULT_LIMIT = 20_000_000;

    private Structures() {}

    /** The default line-up for n keys. */
    public static String defaultFor(int n) {
        return n > TREEMAP_DEFAULT_LIMIT ? DEFAULT.replace("treemap,", "") : DEFAULT;
    }

    /** A named builder. */
    public record Spec(String text, Function<long[], SortedLongIndex> builder) {}

    public static List<Spec> parse(String specs) {
        List<Spec> out = new ArrayList<>();
        for (String raw : specs.split(",")) {
            String s = raw.trim().toLowerCase(Locale.ROOT);
            if (!s.isEmpty()) out.add(new Spec(s, builder(s)));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no index structures given");
        return out;
    }

    static Function<long[], SortedLongIndex> builder(String s) {
        String[] p = s.split(":");
        try {
            return switch (p[0]) {
                case "binary" -> { arity(s, p, 1, 1); yield BinarySearchIndex::new; }
                case "btree" -> { arity(s, p, 1, 2); int f = p.length > 1 ? Integer.parseInt(p[1]) : 16; atLeast(s, "fanout", f, 2); yield k -> new StaticBPlusTree(k, f); }
                case "treemap" -> { arity(s, p, 1, 1); yield TreeMapIndex::new; }
                case "pgm" -> {
                    arity(s, p, 2, 3);
                    int eps = Integer.parseInt(p[1]);
                    atLeast(s, "eps", eps, 1);
                    if (p.length == 3 && !p[2].equals("exp")) throw new IllegalArgumentException("index structure '" + s + "': the last field may only be 'exp'");
                    boolean exp = p.length == 3;
                    yield k -> new PgmIndex(k, eps, 4, exp);
                }
                case "rmi" -> {
                    arity(s, p, 3, 4);
                    RmiConfig.RootType root = switch (p[1]) {
                        case "linear" -> RmiConfig.RootType.LINEAR;
                        case "cubic" -> RmiConfig.RootType.CUBIC;
                        case "nn" -> RmiConfig.RootType.NEURAL;
                        default -> throw new IllegalArgumentException("index structure '" + s + "': root must be linear, cubic or nn");
                    };
                    int leaves = Integer.parseInt(p[2]);
                    atLeast(s, "leaves", leaves, 1);
                    RmiConfig c = RmiConfig.of(root, leaves);
                    if (p.length == 4) {
                        if (!p[3].equals("exp")) throw new IllegalArgumentException("index structure '" + s + "': the last field may only be 'exp'");
                        c = c.withLastMile(RmiConfig.LastMile.EXPONENTIAL);
                    }
                    RmiConfig config = c;
                    yield k -> new RecursiveModelIndex(k, config);
                }
                default -> throw new IllegalArgumentException("unknown index structure '" + s + "': expected binary, btree[:FANOUT], treemap, rmi:ROOT:LEAVES[:exp] or pgm:EPS[:exp]");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("index structure '" + s + "': " + e.getMessage());
        }
    }

    private static void atLeast(String s, String what, int v, int min) {
        if (v < min) throw new IllegalArgumentException("index structure '" + s + "': " + what + " must be >= " + min + ", got " + v);
    }

    private static void arity(String s, String[] p, int min, int max) {
        if (p.length < min || p.length > max) throw new IllegalArgumentException("index structure '" + s + "': expected " + min + (max > min ? " to " + max : "") + " ':'-separated fields");
    }
}
