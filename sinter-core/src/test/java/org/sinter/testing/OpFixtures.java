package org.sinter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cases of one "sinter-op-fixtures" file (tools/fixtures/README.md): {@link FixtureFile#CORE_OPS}
 * in sinter-core, {@link FixtureFile#NN_FUNCTIONAL} in sinter-nn. Parsed once per test JVM.
 */
public record OpFixtures(String torchVersion, List<OpCase> cases, List<PrintCase> printing) {

    public static final String FORMAT = "sinter-op-fixtures";

    private static final Map<String, OpFixtures> LOADED = new ConcurrentHashMap<>();

    public static OpFixtures load(FixtureFile file) {
        return LOADED.computeIfAbsent(file.resource(), r -> parse(file));
    }

    /** The case with this id; fails naming the file when there is none. */
    public OpCase find(String id) {
        return cases.stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture case " + id));
    }

    private static OpFixtures parse(FixtureFile file) {
        if (!file.format().equals(FORMAT)) throw new IllegalArgumentException(file.resource() + " is " + file.format() + ", not " + FORMAT);
        JsonNode root = file.root();
        List<OpCase> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) cases.add(OpCase.parse(c));
        List<PrintCase> printing = new ArrayList<>();
        for (JsonNode p : root.path("printing")) printing.add(PrintCase.parse(p));
        return new OpFixtures(file.torchVersion(), List.copyOf(cases), List.copyOf(printing));
    }
}
