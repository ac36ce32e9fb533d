package org.sinter.privacy.examples;

import java.time.Duration;
import java.util.Locale;
import org.sinter.privacy.federated.Faults;
import org.sinter.privacy.federated.Federated;
import org.sinter.privacy.federated.FlOptions;

/**
 * The FedAvg bar: MNIST split among 100 clients by a Dirichlet(α) prior over labels, 10
 * clients a round, the CNN of {@link org.sinter.privacy.federated.FederatedTask#mnistCnn()}; prints
 * the test accuracy after every round.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp … org.sinter.privacy.examples.FederatedMnist [rounds] [alpha] [secure] [dropout] [seed]
 * </pre>
 */
public final class FederatedMnist {
    private FederatedMnist() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        double alpha = args.length > 1 ? Double.parseDouble(args[1]) : 0.5;
        boolean secure = args.length > 2 && Boolean.parseBoolean(args[2]);
        double dropout = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 0;
        FlOptions d = FlOptions.mnistDefaults(100, rounds, alpha);
        var o = new FlOptions(d.task(), d.clients(), rounds, d.split(), d.training(), d.server().withSecure(secure).withSeed(seed).withTimeout(Duration.ofSeconds(600)),
                new Faults(dropout, 0, 0, seed), seed, 1);
        long t0 = System.nanoTime();
        var h = Federated.simulate(o, System.out::println);
        System.out.printf(Locale.ROOT, "final test accuracy %.4f after %d rounds, %.1f s in all%n", h.finalAccuracy(), rounds, (System.nanoTime() - t0) / 1e9);
    }
}
