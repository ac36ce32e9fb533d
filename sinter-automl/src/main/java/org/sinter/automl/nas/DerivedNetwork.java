package org.sinter.automl.nas;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sinter.Tensor;
import org.sinter.nn.Module;
import org.sinter.nn.ModuleList;
import org.sinter.nn.io.SafeTensors;

/**
 * The network a {@link Genotype} describes, on the same {@link CellStack} skeleton as the search: in every cell, node
 * {@code j} is the sum of its two kept operations (with learned batch-norm scale and shift) on its two inputs. A plain
 * Sinter {@link Module}: it trains, saves and loads its state dict like any other model.
 */
public final class DerivedNetwork extends CellStack {
    private final Genotype genotype;
    private final ModuleList cells = registerModule("cells", new ModuleList());

    @SuppressWarnings("this-escape") // registers its submodules in the constructor, as PyTorch modules do
    public DerivedNetwork(Genotype genotype, NetworkShape shape) {
        super(shape);
        if (genotype.nodeCount() != shape.nodes())
            throw new IllegalArgumentException("DerivedNetwork: genotype has " + genotype.nodeCount() + " nodes, the shape says " + shape.nodes());
        this.genotype = genotype;
        for (int i = 0; i < shape.cells(); i++) {
            ModuleList ops = new ModuleList();
            for (List<Genotype.Edge> node : genotype.nodes())
                for (Genotype.Edge e : node) ops.add(e.op().build(shape.cellChannels(i), true));
            cells.add(ops);
        }
    }

    public Genotype genotype() {
        return genotype;
    }

    /**
     * Writes the weights to a safetensors file (atomically) whose metadata holds the genotype and the shape, so that
     * {@link #load(Path)} rebuilds the same model from the file alone.
     */
    public void save(Path path) throws IOException {
        SafeTensors.save(stateDict(), path, Map.of("sinter.nas.genotype", genotype.toJson(),
                "sinter.nas.shape", shape.channels() + "," + shape.cells() + "," + shape.nodes() + "," + shape.classes()));
    }

    /** The model {@link #save(Path)} wrote, in eval mode. */
    public static DerivedNetwork load(Path path) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(path);
        String genotype = contents.metadata().get("sinter.nas.genotype"), shape = contents.metadata().get("sinter.nas.shape");
        if (genotype == null || shape == null)
            throw new IllegalArgumentException(path + ": not a derived NAS model (no sinter.nas.genotype / sinter.nas.shape metadata)");
        String[] s = shape.split(",");
        if (s.length != 4) throw new IllegalArgumentException(path + ": sinter.nas.shape must be channels,cells,nodes,classes, got '" + shape + "'");
        DerivedNetwork net;
        try {
            net = new DerivedNetwork(Genotype.fromJson(genotype), new NetworkShape(Integer.parseInt(s[0].trim()), Integer.parseInt(s[1].trim()),
                    Integer.parseInt(s[2].trim()), Integer.parseInt(s[3].trim())));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": sinter.nas.shape must be four integers, got '" + shape + "'", e);
        }
        net.loadStateDict(contents.tensors(), true);
        net.eval();
        return net;
    }

    @Override
    protected Tensor cell(int index, Tensor s0, Tensor s1) {
        ModuleList ops = cells.get(index);
        List<Tensor> states = new ArrayList<>(List.of(s0, s1));
        int k = 0;
        for (List<Genotype.Edge> node : genotype.nodes()) {
            Tensor sum = null;
            for (Genotype.Edge e : node) {
                Tensor term = ops.<Module>get(k++).forward(states.get(e.input()));
                sum = sum == null ? term : sum.add(term);
            }
            states.add(sum);
        }
        return Tensor.cat(states.subList(2, states.size()), 1);
    }
}
