package dlkit.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import dlkit.files.Digests;
import java.io.IOException;
import java.security.MessageDigest;

/** Where a fit's examples come from: resident tensors (fast) or a DJL dataset. */
abstract class Source {

    /** Number of examples. */
    abstract int size();

    /** Shape of the (first) input array for a batch of {@code batch} examples. */
    final Shape inputShape(int batch) {
        return inputShapes(batch)[0];
    }

    /** Shapes of every input array for a batch of {@code batch} examples: one unless a dataset gives more. */
    abstract Shape[] inputShapes(int batch);

    /** Shape of one example's labels (without the batch axis). */
    abstract Shape labelShape();

    /**
     * Makes one batch from {@code order[from..to)}; arrays belong to {@code manager}.
     *
     * @return {data, labels}
     */
    abstract NDList[] batch(NDManager manager, int[] order, int from, int to);

    /** SHA-256 of the contents (shapes, types and values). */
    abstract String contentHash();

    private double[] labelStats;

    /**
     * Label statistics for the checks before training: {min, max, a value that is not a whole
     * number (NaN if all are), largest distance of a row's sum from 1 (NaN unless labels are rows)}.
     * Resident labels are scanned whole; a dataset's first 256 examples stand for it.
     */
    final synchronized double[] labelStats() {
        if (labelStats == null) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray labels = checkLabels(m).toType(DataType.FLOAT64, true);
                labels.attach(m); // results of operations belong to their input's manager: to m, not the data's
                labelStats = stats(labels);
            }
        }
        return labelStats;
    }

    /** The labels the checks scan. */
    abstract NDArray checkLabels(NDManager manager);

    /** The features and labels the check for NaN and infinity scans: all resident ones, a dataset's first. */
    abstract NDArray[] checkArrays(NDManager manager);

    private static double[] stats(NDArray labels) {
        double min = labels.min().getDouble();
        double max = labels.max().getDouble();
        NDArray fraction = labels.sub(labels.floor()).abs();
        double notWhole = Double.NaN;
        if (fraction.max().getDouble() > 0) {
            notWhole = labels.get(new NDIndex("{}", fraction.gt(0))).get(0).getDouble();
        }
        double rowSum = labels.getShape().dimension() == 2 ? labels.sum(new int[] {1}).sub(1).abs().max().getDouble() : Double.NaN;
        return new double[] {min, max, notWhole, rowSum};
    }

    /** Resident features and labels: batches are gathered rows of one tensor. */
    static final class Resident extends Source {
        private final NDArray features;
        private final NDArray labels;
        private Rows featureRows; // made on first use: reading their memory needs a live engine
        private Rows labelRows;

        Resident(NDArray features, NDArray labels) {
            this.features = features;
            this.labels = labels;
        }

        @Override
        int size() {
            return (int) features.getShape().get(0);
        }

        @Override
        Shape[] inputShapes(int batch) {
            return new Shape[] {new Shape(batch).addAll(features.getShape().slice(1))};
        }

        @Override
        Shape labelShape() {
            return labels.getShape().slice(1);
        }

        @Override
        NDList[] batch(NDManager manager, int[] order, int from, int to) {
            NDArray x;
            NDArray y;
            if (isRange(order, from, to)) {
                NDIndex range = new NDIndex(from + ":" + to);
                x = features.get(manager, range);
                y = labels.get(manager, range);
            } else {
                if (featureRows == null) {
                    featureRows = new Rows(features);
                    labelRows = new Rows(labels);
                }
                x = featureRows.gather(manager, order, from, to);
                y = labelRows.gather(manager, order, from, to);
            }
            return new NDList[] {new NDList(x), new NDList(y)};
        }

        private static boolean isRange(int[] order, int from, int to) {
            for (int i = from; i < to; i++) {
                if (order[i] != i) {
                    return false;
                }
            }
            return true;
        }

        @Override
        String contentHash() {
            MessageDigest sha = Digests.newDigest("SHA-256");
            Digests.update(sha, features);
            Digests.update(sha, labels);
            return Digests.hex(sha.digest());
        }

        @Override
        NDArray checkLabels(NDManager manager) {
            return labels;
        }

        @Override
        NDArray[] checkArrays(NDManager manager) {
            return new NDArray[] {features, labels};
        }
    }

    /** A DJL dataset: batches are stacked from single records, DJL's own path. */
    static final class FromDataset extends Source {
        private final RandomAccessDataset dataset;
        private Shape[] dataShapes;
        private Shape labelShape;

        FromDataset(RandomAccessDataset dataset) {
            this.dataset = dataset;
        }

        private void readShapes() {
            if (dataShapes == null) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Record r = record(m, 0);
                    dataShapes = r.getData().getShapes(); // a model of several inputs gets them all
                    labelShape = r.getLabels().head().getShape();
                }
            }
        }

        private Record record(NDManager manager, long index) {
            try {
                return dataset.get(manager, index);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read example " + index + " of the dataset", e);
            }
        }

        @Override
        int size() {
            return Math.toIntExact(dataset.size());
        }

        @Override
        Shape[] inputShapes(int batch) {
            readShapes();
            Shape[] shapes = new Shape[dataShapes.length];
            for (int i = 0; i < shapes.length; i++) {
                shapes[i] = new Shape(batch).addAll(dataShapes[i]);
            }
            return shapes;
        }

        @Override
        Shape labelShape() {
            readShapes();
            return labelShape;
        }

        @Override
        NDList[] batch(NDManager manager, int[] order, int from, int to) {
            NDList[] data = new NDList[to - from];
            NDList[] labels = new NDList[to - from];
            for (int i = from; i < to; i++) {
                Record r = record(manager, order[i]);
                data[i - from] = r.getData();
                labels[i - from] = r.getLabels();
            }
            return new NDList[] {Batchifier.STACK.batchify(data), Batchifier.STACK.batchify(labels)};
        }

        @Override
        String contentHash() {
            MessageDigest sha = Digests.newDigest("SHA-256");
            for (long i = 0; i < dataset.size(); i++) {
                try (NDManager m = NDManager.newBaseManager()) {
                    Record r = record(m, i);
                    r.getData().forEach(a -> Digests.update(sha, a));
                    r.getLabels().forEach(a -> Digests.update(sha, a));
                }
            }
            return Digests.hex(sha.digest());
        }

        @Override
        NDArray checkLabels(NDManager manager) {
            int n = Math.min(256, size());
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            return batch(manager, order, 0, n)[1].head();
        }

        @Override
        NDArray[] checkArrays(NDManager manager) {
            int n = Math.min(256, size());
            NDList[] xy = batch(manager, java.util.stream.IntStream.range(0, n).toArray(), 0, n);
            return new NDArray[] {xy[0].head(), xy[1].head()};
        }
    }
}
