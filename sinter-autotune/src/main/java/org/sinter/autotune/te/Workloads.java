package org.sinter.autotune.te;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a workload key (as {@link ComputeDecl#workload()} writes it) back into its declaration, so
 * a tuning log alone is enough to rebuild its candidates (for transfer learning and for applying
 * logs). A key of unknown form is an error naming it.
 */
public final class Workloads {
    private static final Pattern CALL = Pattern.compile("([a-z0-9_]+)\\((.*)\\)");
    private static final Pattern CONV = Pattern.compile("(\\d+),(\\d+),(\\d+),(\\d+);(\\d+),(\\d+),(\\d+);s(\\d+),p(\\d+),d(\\d+),g(\\d+)");
    private static final Pattern BLOCKED = Pattern.compile("conv2d_nchw(\\d+)c_(\\d+)k");

    private Workloads() {}

    public static ComputeDecl parse(String key) {
        Matcher m = CALL.matcher(key);
        if (!m.matches()) throw new IllegalArgumentException("workload key \"" + key + "\": expected op(args)");
        String op = m.group(1), args = m.group(2);
        try {
            switch (op) {
                case "matmul" -> {
                    int[] a = ints(args, 3);
                    return Operators.matmul(a[0], a[1], a[2]);
                }
                case "bmm" -> {
                    int[] a = ints(args, 4);
                    return Operators.bmm(a[0], a[1], a[2], a[3]);
                }
                case "dense" -> {
                    String[] p = args.split(",");
                    if (p.length != 4) throw new IllegalArgumentException("dense takes m,n,k,activation");
                    return Operators.dense(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                            Expr.UnaryFn.valueOf(p[3].toUpperCase(java.util.Locale.ROOT)));
                }
                case "row_rms" -> {
                    int[] a = ints(args, 2);
                    return Operators.rowRms(a[0], a[1]);
                }
                case "conv2d_nchw" -> {
                    return Operators.conv2d(conv(args));
                }
                case "depthwise_conv2d_nchw" -> {
                    return Operators.depthwiseConv2d(conv(args));
                }
                default -> {
                    Matcher b = BLOCKED.matcher(op);
                    if (b.matches()) return Operators.conv2dNCHWc(conv(args), Integer.parseInt(b.group(1)), Integer.parseInt(b.group(2)));
                    throw new IllegalArgumentException("unknown operator " + op);
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("workload key \"" + key + "\": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("workload key \"" + key + "\": " + e.getMessage(), e);
        }
    }

    /** The parameters of a {@code conv2d_nchw} declaration, read back from its workload key. */
    public static Operators.ConvParams convParams(ComputeDecl d) {
        Matcher m = CALL.matcher(d.workload());
        if (!d.op().equals("conv2d") || !m.matches() || !m.group(1).equals("conv2d_nchw")) {
            throw new IllegalArgumentException("workload " + d.workload() + " is not a conv2d_nchw");
        }
        return conv(m.group(2));
    }

    private static Operators.ConvParams conv(String args) {
        Matcher c = CONV.matcher(args);
        if (!c.matches()) throw new IllegalArgumentException("conv arguments \"" + args + "\": expected n,c,h,w;k,r,s;sS,pP,dD,gG");
        int[] v = new int[11];
        for (int i = 0; i < 11; i++) v[i] = Integer.parseInt(c.group(i + 1));
        return new Operators.ConvParams(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
    }

    private static int[] ints(String args, int n) {
        String[] p = args.split(",");
        if (p.length != n) throw new IllegalArgumentException("expected " + n + " sizes, got " + p.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = Integer.parseInt(p[i].strip());
        return out;
    }
}
