package org.sinter.automl;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sinter.automl.space.NestedOption;
import org.sinter.automl.space.Parameter;
import org.sinter.automl.space.SearchSpace;
import org.sinter.automl.space.SearchSpaceJson;

class SearchSpaceTest {
    private static final int N = 40_000;

    private static double[] samples(Parameter p) {
        SplittableRandom rng = new SplittableRandom(7);
        double[] out = new double[N];
        for (int i = 0; i < N; i++) out[i] = ((Number) p.sample(rng)).doubleValue();
        return out;
    }

    private static double mean(double[] v) { return Arrays.stream(v).average().orElseThrow(); }

    private static double std(double[] v) {
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    @Test
    void uniformCoversItsRangeWithTheRightMoments() {
        double[] v = samples(new Parameter.Uniform(-2, 6));
        assertTrue(Arrays.stream(v).allMatch(x -> x >= -2 && x <= 6));
        assertEquals(2, mean(v), 0.05);
        assertEquals(8 / Math.sqrt(12), std(v), 0.03);
    }

    @Test
    void randintExcludesItsUpperBoundAndHitsEveryValueEvenly() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] counts = new int[5];
        for (int i = 0; i < N; i++) {
            Object v = new Parameter.RandInt(3, 8).sample(rng);
            assertInstanceOf(Integer.class, v);
            counts[(Integer) v - 3]++;
        }
        for (int c : counts) assertEquals(N / 5.0, c, N * 0.01);
    }

    @Test
    void quniformRoundsToMultiplesOfQAndClipsToTheBounds() {
        // NNI: clip(round(uniform(low, high) / q) * q, low, high). With [0.3, 2.2] and q = 0.5,
        // u / q lies in [0.6, 4.4] and rounds to 1..4: the values are 0.5, 1.0, 1.5 and 2.0.
        double[] v = samples(new Parameter.QUniform(0.3, 2.2, 0.5));
        assertEquals(Set.of(0.5, 1.0, 1.5, 2.0), Arrays.stream(v).boxed().collect(java.util.stream.Collectors.toSet()));
        // 0.5 owns [0.3, 0.75): 0.45 of 1.9 of the mass.
        assertEquals(0.45 / 1.9, Arrays.stream(v).filter(x -> x == 0.5).count() / (double) N, 0.01);
        double[] clipped = samples(new Parameter.QUniform(0, 1, 0.75)); // round(0.9/0.75)*0.75 = 0.75, round(1/0.75) = 1
        assertTrue(Arrays.stream(clipped).allMatch(x -> x == 0 || x == 0.75));
        // u >= 1.2 gives u / 0.8 >= 1.5, which rounds to 2: 1.6 clips to 1.3, with probability 0.1 / 1.3
        double[] upper = samples(new Parameter.QUniform(0, 1.3, 0.8));
        assertEquals(0.1 / 1.3, Arrays.stream(upper).filter(x -> x == 1.3).count() / (double) N, 0.01);
        assertTrue(Arrays.stream(upper).allMatch(x -> x == 0 || x == 0.8 || x == 1.3));
    }

    @Test
    void loguniformIsUniformInLogSpace() {
        double[] v = samples(new Parameter.LogUniform(1e-4, 1e-1));
        assertTrue(Arrays.stream(v).allMatch(x -> x >= 1e-4 && x <= 1e-1));
        double[] logs = Arrays.stream(v).map(Math::log10).toArray();
        assertEquals(-2.5, mean(logs), 0.02);
        assertEquals(3 / Math.sqrt(12), std(logs), 0.02);
        // each decade gets a third
        assertEquals(1 / 3.0, Arrays.stream(v).filter(x -> x < 1e-3).count() / (double) N, 0.01);
    }

    @Test
    void qloguniformIsQuantizedAndClipped() {
        double[] v = samples(new Parameter.QLogUniform(1, 1000, 10));
        assertTrue(Arrays.stream(v).allMatch(x -> x == 1 || (x % 10 == 0 && x <= 1000)));
        // half the log mass lies below sqrt(1000) ≈ 31.6, so most values round to 1 (below 5), 10, 20 or 30
        assertEquals(Math.log(5) / Math.log(1000), Arrays.stream(v).filter(x -> x == 1).count() / (double) N, 0.01);
    }

    @Test
    void normalKindsHaveTheirMoments() {
        double[] n = samples(new Parameter.Normal(3, 2));
        assertEquals(3, mean(n), 0.03);
        assertEquals(2, std(n), 0.03);
        double[] q = samples(new Parameter.QNormal(3, 2, 0.5));
        assertTrue(Arrays.stream(q).allMatch(x -> Math.abs(x / 0.5 - Math.rint(x / 0.5)) < 1e-9));
        assertEquals(3, mean(q), 0.03);
        double[] ln = samples(new Parameter.LogNormal(0.5, 0.4));
        assertTrue(Arrays.stream(ln).allMatch(x -> x > 0));
        double[] logs = Arrays.stream(ln).map(Math::log).toArray();
        assertEquals(0.5, mean(logs), 0.01);
        assertEquals(0.4, std(logs), 0.01);
        assertEquals(Math.exp(0.5 + 0.08), mean(ln), 0.02); // E[exp(N(mu, s²))] = exp(mu + s²/2)
    }

    @Test
    void choiceIsUniformOverItsOptions() {
        SplittableRandom rng = new SplittableRandom(3);
        Parameter.Choice c = new Parameter.Choice(List.of("adam", "sgd", 32, 0.5));
        Map<Object, Long> counts = java.util.stream.IntStream.range(0, N).mapToObj(i -> c.sample(rng))
                .collect(java.util.stream.Collectors.groupingBy(x -> x, java.util.stream.Collectors.counting()));
        assertEquals(4, counts.size());
        counts.values().forEach(n -> assertEquals(N / 4.0, n, N * 0.015));
    }

    private static final String NNI_SPACE = """
            {
              "lr": {"_type": "loguniform", "_value": [0.0001, 0.1]},
              "batch_size": {"_type": "choice", "_value": [32, 64, 128]},
              "hidden": {"_type": "randint", "_value": [16, 129]},
              "dropout": {"_type": "quniform", "_value": [0.0, 0.5, 0.1]},
              "layer0": {"_type": "choice", "_value": [
                  {"_name": "empty"},
                  {"_name": "conv", "kernel_size": {"_type": "choice", "_value": [1, 3, 5]}},
                  {"_name": "pool", "pooling": {"_type": "choice", "_value": ["max", "avg"]}}
              ]}
            }
            """;

    @Test
    void parsesNnisFormatWithNestedChoices() {
        SearchSpace space = SearchSpaceJson.parse(NNI_SPACE);
        assertEquals(List.of("lr", "batch_size", "hidden", "dropout", "layer0"), List.copyOf(space.parameters().keySet()));
        assertEquals(new Parameter.RandInt(16, 129), space.parameters().get("hidden"));
        Parameter.Choice layer = (Parameter.Choice) space.parameters().get("layer0");
        assertEquals("conv", ((NestedOption) layer.options().get(1)).name());
        SplittableRandom rng = new SplittableRandom(5);
        boolean sawConv = false;
        for (int i = 0; i < 200; i++) {
            Map<String, Object> v = space.sample(rng);
            @SuppressWarnings("unchecked") Map<String, Object> l0 = (Map<String, Object>) v.get("layer0");
            switch ((String) l0.get("_name")) {
                case "empty" -> assertEquals(1, l0.size());
                case "conv" -> { sawConv = true; assertTrue(List.of(1, 3, 5).contains(l0.get("kernel_size"))); }
                case "pool" -> assertTrue(List.of("max", "avg").contains(l0.get("pooling")));
                default -> fail("unexpected option " + l0);
            }
        }
        assertTrue(sawConv);
        // back to JSON and parsed again: the same space
        assertEquals(space, SearchSpaceJson.parse(SearchSpaceJson.toJson(space).toString()));
    }

    @Test
    void builderMatchesTheJsonForm() {
        SearchSpace built = SearchSpace.builder()
                .logUniform("lr", 1e-4, 0.1)
                .choice("batch_size", 32, 64, 128)
                .randInt("hidden", 16, 129)
                .quniform("dropout", 0, 0.5, 0.1)
                .nestedChoice("layer0", new NestedOption("empty", new SearchSpace(Map.of())),
                        new NestedOption("conv", SearchSpace.builder().choice("kernel_size", 1, 3, 5).build()),
                        new NestedOption("pool", SearchSpace.builder().choice("pooling", "max", "avg").build()))
                .build();
        assertEquals(SearchSpaceJson.parse(NNI_SPACE), built);
    }

    @Test
    void malformedSpacesAreRefusedByParameterName() {
        assertMessage("parameter 'lr': loguniform needs low > 0", "{\"lr\": {\"_type\": \"loguniform\", \"_value\": [0, 1]}}");
        assertMessage("parameter 'x': unknown _type \"gauss\"", "{\"x\": {\"_type\": \"gauss\", \"_value\": [0, 1]}}");
        assertMessage("parameter 'x': quniform takes 3 numbers", "{\"x\": {\"_type\": \"quniform\", \"_value\": [0, 1]}}");
        assertMessage("parameter 'n': randint needs lower < upper", "{\"n\": {\"_type\": \"randint\", \"_value\": [4, 4]}}");
        assertMessage("parameter 'n': randint bounds must be integers", "{\"n\": {\"_type\": \"randint\", \"_value\": [1.5, 4]}}");
        assertMessage("parameter 'u': uniform needs finite low < high", "{\"u\": {\"_type\": \"uniform\", \"_value\": [2, 1]}}");
        assertMessage("parameter 'c': choice needs at least one option", "{\"c\": {\"_type\": \"choice\", \"_value\": []}}");
        assertMessage("parameter 'y': must be an object with \"_type\" and \"_value\"", "{\"y\": [1, 2]}");
        assertMessage("parameter 'layer/conv/k': normal needs sigma > 0",
                "{\"layer\": {\"_type\": \"choice\", \"_value\": [{\"_name\": \"conv\", \"k\": {\"_type\": \"normal\", \"_value\": [0, -1]}}]}}");
        assertMessage("search space is not valid JSON", "{\"lr\": ");
        var e = assertThrows(IllegalArgumentException.class, () -> SearchSpace.builder().uniform("momentum", 1, 0));
        assertTrue(e.getMessage().startsWith("parameter 'momentum': uniform needs"), e.getMessage());
    }

    private static void assertMessage(String expectedStart, String json) {
        var e = assertThrows(IllegalArgumentException.class, () -> SearchSpaceJson.parse(json));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }
}
