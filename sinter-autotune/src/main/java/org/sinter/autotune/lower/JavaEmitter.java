package org.sinter.autotune.lower;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.sinter.autotune.schedule.Loop;
import org.sinter.autotune.te.Affine;
import org.sinter.autotune.te.Expr;
import org.sinter.compiler.codegen.KernelWriter;

/**
 * Writes a {@link LoopProgram} as the Java source of a compiler kernel (a class implementing the
 * compiler's {@code FusedKernel}, compiled and cached by its {@code KernelCompiler}): the loops
 * down to the accumulator's level in {@code run} (the outermost over {@code [from, to)}, so the
 * caller spreads it over the intra-op pool), the rest in a {@code tile} method small enough for
 * C2. Unrolled loops are expanded with their variables as constants, the vector loop becomes
 * Vector API operations (a load that does not move with it is a broadcast, a unit-stride one a
 * vector load, any other a gather), repeated loads in straight-line code are read once, and a
 * promoted accumulator is a set of local variables that C2 keeps in registers.
 */
public final class JavaEmitter {
    private final LoopProgram p;
    private final StringBuilder s = new StringBuilder();
    private final Map<String, Integer> consts = new HashMap<>();
    private final TreeSet<Integer> gathers = new TreeSet<>();
    private final Map<String, Integer> bufferIndex = new LinkedHashMap<>();
    private final String vectorVar;
    private int temps;

    private JavaEmitter(LoopProgram p) {
        this.p = p;
        this.vectorVar = p.vectorLoop() >= 0 ? p.loops().get(p.vectorLoop()).name() : null;
        for (int i = 0; i < p.buffers().size(); i++) bufferIndex.put(p.buffers().get(i).name(), i);
    }

    /** The kernel's source, class {@code className} in the compiler's generated-kernel package. */
    public static String write(String className, LoopProgram p) {
        return new JavaEmitter(p).emit(className);
    }

    private String emit(String className) {
        List<Loop> loops = p.loops();
        int nb = p.buffers().size();
        List<String> outerVars = new ArrayList<>();
        for (int i = 0; i <= p.cacheAt(); i++) {
            Loop l = loops.get(i);
            outerVars.add(jv(l.name()));
            for (String v : l.fusedOf()) outerVars.add(jv(v));
        }
        StringBuilder params = new StringBuilder();
        StringBuilder args = new StringBuilder();
        for (int i = 0; i < nb; i++) {
            params.append("final float[] a").append(i).append(", final int f").append(i).append(", ");
            args.append("a").append(i).append(", f").append(i).append(", ");
        }
        params.append("final float[] o, final int fo, final float[] loc");
        args.append("o, fo, loc");
        for (String v : outerVars) {
            params.append(", final int ").append(v);
            args.append(", ").append(v);
        }
        // run: the outer loops, then one tile call per accumulator.
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < nb; i++) {
            run.append("        final float[] a").append(i).append(" = in[").append(i).append("];\n");
            run.append("        final int f").append(i).append(" = inOff[").append(i).append("];\n");
        }
        run.append("        final float[] o = out[0];\n        final int fo = outOff[0];\n");
        run.append("        final float[] loc = ").append(p.promoted() ? "null" : "new float[" + p.localSize() + "]").append(";\n");
        String indent = "        ";
        for (int i = 0; i <= p.cacheAt(); i++) {
            Loop l = loops.get(i);
            String lo = i == 0 ? "from" : "0", hi = i == 0 ? "to" : String.valueOf(l.extent());
            run.append(indent).append("for (int ").append(jv(l.name())).append(" = ").append(lo).append("; ").append(jv(l.name())).append(" < ").append(hi)
                    .append("; ").append(jv(l.name())).append("++) {\n");
            indent += "    ";
            // A fused loop's parts: each its index in the row-major split of the fused one.
            int stride = l.extent();
            for (int k = 0; k < l.fusedOf().size(); k++) {
                int ext = l.fusedExtents().get(k);
                stride /= ext;
                run.append(indent).append("final int ").append(jv(l.fusedOf().get(k))).append(" = (").append(jv(l.name())).append(" / ").append(stride)
                        .append(") % ").append(ext).append(";\n");
            }
        }
        run.append(indent).append("tile(").append(args).append(");\n");
        for (int i = p.cacheAt(); i >= 0; i--) run.append("        ").append("    ".repeat(i)).append("}\n");

        // tile: initialise the accumulator, the inner loops, the write-back.
        String in2 = "        ";
        int accs = p.promoted() ? p.localSize() / (vectorVar != null ? p.lanes() : 1) : 0;
        String accType = vectorVar != null ? "FloatVector" : "float";
        for (int k = 0; k < accs; k++) {
            s.append(in2).append(accType).append(" acc").append(k).append(" = ").append(vectorVar != null ? "FloatVector.zero(S)" : "0f").append(";\n");
        }
        if (!p.promoted()) s.append(in2).append("java.util.Arrays.fill(loc, 0f);\n");
        inner(p.cacheAt() + 1, in2, new HashMap<>());
        writeBack(0, in2, new HashMap<>());

        StringBuilder c = new StringBuilder();
        c.append("package ").append(KernelWriter.PACKAGE).append(";\n\n");
        c.append("import jdk.incubator.vector.FloatVector;\nimport jdk.incubator.vector.VectorOperators;\nimport jdk.incubator.vector.VectorSpecies;\n");
        c.append("import org.sinter.kernels.VectorFns;\n\n");
        c.append("/** Tuned ").append(p.decl().workload()).append(": ").append(String.join("; ", p.trace())).append(" (generated by sinter-autotune). */\n");
        c.append("public final class ").append(className).append(" implements org.sinter.compiler.codegen.FusedKernel {\n");
        c.append("    private static final VectorSpecies<Float> S = FloatVector.SPECIES_").append(p.lanes() * 32).append(";\n");
        c.append("    private static final Class<?> VT = S.vectorType();\n");
        for (int g : gathers) {
            c.append("    private static final int[] G").append(g).append(" = {");
            for (int lane = 0; lane < p.lanes(); lane++) c.append(lane == 0 ? "" : ", ").append(lane * g);
            c.append("};\n");
        }
        c.append("\n    @Override\n    public void run(float[][] in, int[] inOff, float[][] out, int[] outOff, float[] sc, int[] n, int[][] st, int from, int to) {\n");
        c.append(run).append("    }\n\n");
        c.append("    @SuppressWarnings(\"unused\")\n");
        c.append("    private static void tile(").append(params).append(") {\n").append(s).append("    }\n}\n");
        return c.toString();
    }

    /**
     * An accumulator read after its loop, cast to the species' class: the JIT then knows its type
     * exactly, so the calls on it are compiled as vector instructions whatever other vector shapes
     * the process has run (see sinter-core's {@code ExactVectors}).
     */
    private static String exact(String acc) {
        return "((FloatVector) VT.cast(" + acc + "))";
    }

    /** Loops {@code i..} inside the accumulator, then the accumulate statement. */
    private void inner(int i, String indent, Map<String, String> cse) {
        List<Loop> loops = p.loops();
        if (i == loops.size()) {
            accumulate(indent, cse);
            return;
        }
        Loop l = loops.get(i);
        switch (l.kind()) {
            case UNROLLED -> {
                for (int v = 0; v < l.extent(); v++) {
                    consts.put(l.name(), v);
                    inner(i + 1, indent, cse);
                }
                consts.remove(l.name());
            }
            case VECTORIZED -> inner(i + 1, indent, cse); // the vector loop is innermost: its lanes are the vector
            default -> {
                s.append(indent).append("for (int ").append(jv(l.name())).append(" = 0; ").append(jv(l.name())).append(" < ").append(l.extent()).append("; ")
                        .append(jv(l.name())).append("++) {\n");
                inner(i + 1, indent + "    ", new HashMap<>(cse));
                s.append(indent).append("}\n");
            }
        }
    }

    private void accumulate(String indent, Map<String, String> cse) {
        boolean vec = vectorVar != null;
        Expr body = p.body();
        String li = index(p.localIndex(), true);
        if (p.promoted()) {
            String acc = "acc" + (p.localIndex().eval(withVector(0)) / (vec ? p.lanes() : 1));
            if (body instanceof Expr.Binary b && b.fn() == Expr.BinaryFn.MUL) {
                String x = value(b.a(), vec, indent, cse), y = value(b.b(), vec, indent, cse);
                s.append(indent).append(acc).append(" = ").append(vec ? x + ".fma(" + y + ", " + acc + ")" : acc + " + " + x + " * " + y).append(";\n");
            } else {
                String x = value(body, vec, indent, cse);
                s.append(indent).append(acc).append(" = ").append(vec ? exact(acc) + ".add(" + x + ")" : acc + " + " + x).append(";\n");
            }
        } else {
            String x = value(body, vec, indent, cse);
            if (vec) s.append(indent).append("FloatVector.fromArray(S, loc, ").append(li).append(").add(").append(x).append(").intoArray(loc, ").append(li).append(");\n");
            else s.append(indent).append("loc[").append(li).append("] += ").append(x).append(";\n");
        }
    }

    /** The local buffer's loops again, each point's sum through the epilogue into the output. */
    private void writeBack(int k, String indent, Map<String, String> cse) {
        List<Integer> local = p.localLoops();
        boolean vec = vectorVar != null && !p.vectorReduces();
        if (k == local.size()) {
            String acc;
            if (p.promoted()) {
                acc = "acc" + (p.localIndex().eval(withVector(0)) / (vectorVar != null ? p.lanes() : 1));
                if (vectorVar != null) acc = exact(acc);
                if (p.vectorReduces()) acc += ".reduceLanes(VectorOperators.ADD)";
            } else {
                String li = index(p.localIndex(), true);
                acc = vec || p.vectorReduces() ? "FloatVector.fromArray(S, loc, " + li + ")" : "loc[" + li + "]";
                if (p.vectorReduces()) acc += ".reduceLanes(VectorOperators.ADD)";
            }
            String v = epilogue(p.epilogue(), acc, vec, indent, cse);
            String oi = "fo + " + index(p.outIndex(), true);
            if (!vec) {
                s.append(indent).append("o[").append(oi).append("] = ").append(v).append(";\n");
            } else {
                int c = p.outIndex().coef(vectorVar);
                if (c == 1) s.append(indent).append(v).append(".intoArray(o, ").append(oi).append(");\n");
                else {
                    gathers.add(c);
                    s.append(indent).append(v).append(".intoArray(o, ").append(oi).append(", G").append(c).append(", 0);\n");
                }
            }
            return;
        }
        Loop l = p.loops().get(local.get(k));
        if (l.kind() == Loop.Kind.VECTORIZED) {
            writeBack(k + 1, indent, cse);
        } else if (p.promoted() || l.kind() == Loop.Kind.UNROLLED) {
            for (int v = 0; v < l.extent(); v++) {
                consts.put(l.name(), v);
                writeBack(k + 1, indent, cse);
            }
            consts.remove(l.name());
        } else {
            s.append(indent).append("for (int ").append(jv(l.name())).append(" = 0; ").append(jv(l.name())).append(" < ").append(l.extent()).append("; ")
                    .append(jv(l.name())).append("++) {\n");
            writeBack(k + 1, indent + "    ", new HashMap<>(cse));
            s.append(indent).append("}\n");
        }
    }

    private Map<String, Integer> withVector(int lane) {
        Map<String, Integer> env = new HashMap<>(consts);
        if (vectorVar != null) env.put(vectorVar, lane);
        return env;
    }

    /** An expression's value as a Java expression; loads become (shared) temporaries. */
    private String value(Expr e, boolean vec, String indent, Map<String, String> cse) {
        return switch (e) {
            case Expr.Load l -> load(l, vec, indent, cse);
            case Expr.Const c -> vec ? "FloatVector.broadcast(S, " + literal(c.value()) + ")" : literal(c.value());
            case Expr.Acc a -> throw new IllegalStateException("codegen: the reduction's value appears only in the epilogue");
            case Expr.Binary b -> binary(b.fn(), value(b.a(), vec, indent, cse), value(b.b(), vec, indent, cse), vec);
            case Expr.Unary u -> unary(u.fn(), value(u.a(), vec, indent, cse), vec);
        };
    }

    private String epilogue(Expr e, String acc, boolean vec, String indent, Map<String, String> cse) {
        return switch (e) {
            case Expr.Acc a -> acc;
            case Expr.Binary b -> binary(b.fn(), epilogue(b.a(), acc, vec, indent, cse), epilogue(b.b(), acc, vec, indent, cse), vec);
            case Expr.Unary u -> unary(u.fn(), epilogue(u.a(), acc, vec, indent, cse), vec);
            default -> value(e, vec, indent, cse);
        };
    }

    private String load(Expr.Load l, boolean vec, String indent, Map<String, String> cse) {
        int b = bufferIndex.get(l.tensor());
        Affine flat = l.index().getFirst();
        String idx = "f" + b + " + " + index(flat, vec);
        String expr;
        if (!vec) {
            expr = "a" + b + "[" + idx + "]";
        } else {
            int c = flat.coef(vectorVar);
            if (c == 0) expr = "FloatVector.broadcast(S, a" + b + "[" + idx + "])";
            else if (c == 1) expr = "FloatVector.fromArray(S, a" + b + ", " + idx + ")";
            else {
                gathers.add(c);
                expr = "FloatVector.fromArray(S, a" + b + ", " + idx + ", G" + c + ", 0)";
            }
        }
        String t = cse.get(expr);
        if (t == null) {
            t = "t" + temps++;
            s.append(indent).append("final ").append(vec ? "FloatVector " : "float ").append(t).append(" = ").append(expr).append(";\n");
            cse.put(expr, t);
        }
        return t;
    }

    /** An affine index as Java: unrolled variables folded in, the vector variable left out (its lanes are the vector's). */
    private String index(Affine a, boolean dropVector) {
        int c = a.constant();
        StringBuilder sb = new StringBuilder();
        for (var t : a.terms().entrySet()) {
            if (dropVector && t.getKey().equals(vectorVar)) continue;
            Integer k = consts.get(t.getKey());
            if (k != null) {
                c += k * t.getValue();
                continue;
            }
            if (!sb.isEmpty()) sb.append(" + ");
            sb.append(t.getValue() == 1 ? jv(t.getKey()) : t.getValue() + " * " + jv(t.getKey()));
        }
        if (sb.isEmpty()) return String.valueOf(c);
        return c == 0 ? sb.toString() : sb + " + " + c;
    }

    private static String binary(Expr.BinaryFn fn, String a, String b, boolean vec) {
        if (vec) {
            return switch (fn) {
                case ADD -> a + ".add(" + b + ")";
                case MUL -> a + ".mul(" + b + ")";
                case MAX -> a + ".max(" + b + ")";
            };
        }
        return switch (fn) {
            case ADD -> "(" + a + " + " + b + ")";
            case MUL -> "(" + a + " * " + b + ")";
            case MAX -> "Math.max(" + a + ", " + b + ")";
        };
    }

    private static String unary(Expr.UnaryFn fn, String a, boolean vec) {
        if (vec) {
            return switch (fn) {
                case RELU -> "VectorFns.relu(" + a + ")";
                case SIGMOID -> "VectorFns.sigmoid(" + a + ")";
                case TANH -> "VectorFns.tanh(" + a + ")";
                case SQRT -> "VectorFns.sqrt(" + a + ")";
                case IDENTITY -> a;
            };
        }
        return switch (fn) {
            case RELU -> "Math.max(" + a + ", 0f)";
            case SIGMOID -> "(1f / (1f + (float) Math.exp(-(" + a + "))))";
            case TANH -> "(float) Math.tanh(" + a + ")";
            case SQRT -> "(float) Math.sqrt(" + a + ")";
            case IDENTITY -> a;
        };
    }

    /** A loop variable's Java name (prefixed: no clash with the kernel's parameters and temporaries). */
    private static String jv(String loop) {
        return "v_" + loop;
    }

    private static String literal(float f) {
        return "Float.intBitsToFloat(0x" + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
    }
}
