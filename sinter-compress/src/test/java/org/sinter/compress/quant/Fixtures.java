package org.sinter.compress.quant;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads quant_fixtures.txt (written by tools/fixtures/gen_quant.py) and resblock_fixtures.txt
 * (tools/fixtures/gen_quant_resblock.py), rnn_fixtures.txt (gen_quant_rnn.py) and
 * convbn_fixtures.txt (gen_quant_convbn.py): "name: v1 v2 ..." per line, one name space.
 */
public final class Fixtures {
    private static Map<String, String[]> entries;

    private Fixtures() {}

    private static synchronized Map<String, String[]> all() {
        if (entries != null) return entries;
        Map<String, String[]> m = new HashMap<>();
        for (String file : new String[] {"quant_fixtures.txt", "resblock_fixtures.txt", "rnn_fixtures.txt", "convbn_fixtures.txt"}) {
            try (InputStream in = Fixtures.class.getResourceAsStream("/org/sinter/compress/quant/" + file);
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("#") || line.isBlank()) continue;
                    int c = line.indexOf(": ");
                    if (m.put(line.substring(0, c), line.substring(c + 2).trim().split(" ")) != null) {
                        throw new IllegalStateException("fixture entry " + line.substring(0, c) + " appears twice (" + file + ")");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries = m;
    }

    private static String[] raw(String name) {
        String[] v = all().get(name);
        if (v == null) throw new IllegalArgumentException("no fixture entry " + name);
        return v;
    }

    public static float[] floats(String name) {
        String[] v = raw(name);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Float.parseFloat(v[i]);
        return out;
    }

    public static int[] ints(String name) {
        String[] v = raw(name);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Integer.parseInt(v[i]);
        return out;
    }

    public static float scalar(String name) {
        return floats(name)[0];
    }
}
