package org.sinter.privacy.federated;

import java.security.SecureRandom;
import org.sinter.nn.Module;
import org.sinter.privacy.secagg.SecAggClient;

/**
 * A federated client: its data, its copy of the model, how it trains. {@link #handle} answers one
 * server request; the same object serves an in-process simulation ({@link LocalConnection}) and a
 * separate process over TCP ({@link TcpClient}). Its update leaves it only through the fixed-point
 * encoding, and in a secure round only masked.
 */
public final class FlClient {
    private final int id;
    private final ClientData data;
    private final Module model;
    private final LocalTraining training;
    private final Faults faults;
    private final long seed;
    private final SecureRandom random = new SecureRandom();
    private SecAggClient secure;
    private int[] pending;
    private long pendingRound = -1;

    public FlClient(int id, ClientData data, Module model, LocalTraining training, Faults faults, long seed) {
        if (id < 0) throw new IllegalArgumentException("FlClient: id must be >= 0, got " + id);
        if (data.size() == 0) throw new IllegalArgumentException("FlClient " + id + ": no examples");
        this.id = id;
        this.data = data;
        this.model = model;
        this.training = training;
        this.faults = faults;
        this.seed = seed;
    }

    public int id() { return id; }

    public int examples() { return data.size(); }

    /** One reply to one request; a request this client cannot serve gets a {@link Message.Failure} naming why. */
    public Message handle(Message request) {
        try {
            return switch (request) {
                case Message.TrainRequest t -> train(t);
                case Message.ShareKeysRequest s -> {
                    expectRound(s.round());
                    yield new Message.Shares(s.round(), secure.shareKeys(s.advertised()));
                }
                case Message.MaskRequest m -> {
                    expectRound(m.round());
                    if (faults.drops(m.round(), id)) {
                        secure = null; // gone after sharing keys: its masks stay in the others' inputs
                        yield new Message.Silence();
                    }
                    int[] y = secure.maskedInput(m.incoming(), pending);
                    pending = null;
                    yield new Message.MaskedInput(m.round(), y);
                }
                case Message.UnmaskRequest u -> {
                    expectRound(u.round());
                    var shares = secure.unmask(u.survivors());
                    secure = null;
                    yield new Message.UnmaskShares(u.round(), shares);
                }
                default -> new Message.Failure("client " + id + " does not serve " + request.getClass().getSimpleName());
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Message.Silence();
        } catch (RuntimeException e) {
            return new Message.Failure("client " + id + ": " + e.getMessage());
        }
    }

    private Message train(Message.TrainRequest t) throws InterruptedException {
        var plan = t.plan();
        secure = null;
        pending = null;
        if (!plan.secure() && faults.drops(plan.round(), id)) return new Message.Silence();
        if (faults.straggles(plan.round(), id)) Thread.sleep(faults.stragglerDelayMillis());
        LocalTraining lt = plan.clipNorm() > 0 ? training.withClipNorm(plan.clipNorm()) : training;
        float[] delta = lt.run(model, t.global(), data, seed ^ (plan.round() * 0x9e3779b97f4a7c15L) ^ ((long) id << 32));
        double weight = plan.weightReference() > 0 ? data.size() / plan.weightReference() : 1.0;
        int[] encoded = new FixedPoint(plan.scale(), plan.maxSummands()).encode(delta, weight);
        if (!plan.secure()) return new Message.Update(plan.round(), encoded);
        pending = encoded;
        pendingRound = plan.round();
        secure = new SecAggClient(id, plan.round(), plan.threshold(), random);
        return new Message.Keys(plan.round(), secure.advertiseKeys());
    }

    private void expectRound(long round) {
        if (secure == null || pendingRound != round) {
            throw new IllegalStateException("no secure aggregation under way for round " + round + (pendingRound >= 0 ? " (last round " + pendingRound + ")" : ""));
        }
    }
}
