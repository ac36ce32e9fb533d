package org.sinter.data.datasets;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.sinter.data.io.CorruptDataException;
import org.sinter.data.io.IdxData;
import org.sinter.data.io.IdxType;
import org.sinter.data.transforms.ToTensor;

/** Pairs an MNIST-style images file (ubyte [N, H, W]) with its labels file (ubyte [N]). */
final class IdxImages {
    private IdxImages() {}

    static ImageDataset pair(String name, IdxData images, String imagesFile, IdxData labels, String labelsFile,
                             List<String> classes) throws IOException {
        int[] id = images.dims(), ld = labels.dims();
        if (images.type() != IdxType.UBYTE || id.length != 3) {
            throw new CorruptDataException(imagesFile, "magic", "expected ubyte images [N, H, W], got " + images);
        }
        if (labels.type() != IdxType.UBYTE || ld.length != 1) {
            throw new CorruptDataException(labelsFile, "magic", "expected ubyte labels [N], got " + labels);
        }
        if (id[0] != ld[0]) {
            throw new CorruptDataException(labelsFile, "dimension 0", ld[0] + " labels for " + id[0] + " images in " + imagesFile
                    + " (image dims " + Arrays.toString(id) + ")");
        }
        byte[] lb = labels.bytes();
        for (int i = 0; i < lb.length; i++) {
            if ((lb[i] & 0xFF) >= classes.size()) {
                throw new CorruptDataException(labelsFile, "data", "label " + (lb[i] & 0xFF) + " at index " + i
                        + " is not one of the " + classes.size() + " classes");
            }
        }
        return new ImageDataset(name, images.bytes(), lb, 1, id[1], id[2], classes, new ToTensor());
    }
}
