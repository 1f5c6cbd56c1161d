package dlkit.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dlkit.engine.TorchOps;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Gathers rows of a resident tensor in a given order into a new tensor, by copying each row from
 * the tensor's memory. libtorch's advanced indexing ({@code get(new NDIndex("{}", index))}, its
 * {@code aten::index}) gathered 1,280 rows of MNIST at 1-2.7 GB/s here, against about 5 GB/s
 * copying them through direct buffers; the training loop gathers every example of every epoch,
 * about 15 % of an MLP's training time before this. Indexing is still used where the memory cannot
 * be read directly (not on the CPU, not contiguous, sparse, or 2 GB and more).
 */
final class Rows {

    private final NDArray source;
    private final ByteBuffer memory; // the source's own memory, or null: use indexing
    private final int rowBytes;

    Rows(NDArray source) {
        this.source = source;
        Shape shape = source.getShape();
        long rows = shape.dimension() == 0 ? 0 : shape.get(0);
        long bytes = shape.size() * source.getDataType().getNumOfBytes();
        ByteBuffer view = null;
        // Only a contiguous array's buffer is its own memory: for any other DJL returns a copy,
        // which would go stale if the array changed.
        if (rows > 0 && bytes < Integer.MAX_VALUE && !source.isSparse() && source.getDevice().equals(Device.cpu())
                && TorchOps.isContiguous(source)) {
            view = source.toByteBuffer(true);
            if (!view.isDirect() || view.capacity() != bytes) {
                view = null;
            }
        }
        this.memory = view;
        this.rowBytes = rows == 0 ? 0 : (int) (bytes / rows);
    }

    /** Whether rows are copied from the source's memory (else gathered by indexing). */
    boolean direct() {
        return memory != null;
    }

    /** Rows {@code order[from..to)} of the source, in that order, as a new array in {@code manager}. */
    NDArray gather(NDManager manager, int[] order, int from, int to) {
        if (memory == null) {
            return source.get(manager, new NDIndex("{}", manager.create(Arrays.copyOfRange(order, from, to))));
        }
        if (source.isReleased()) { // the memory view would read freed memory
            throw new IllegalStateException("the training data was closed before the fit used it");
        }
        Shape shape = new Shape(to - from).addAll(source.getShape().slice(1));
        NDArray out = manager.create(shape, source.getDataType());
        ByteBuffer target = out.toByteBuffer(true);
        for (int i = from; i < to; i++) {
            target.put((i - from) * rowBytes, memory, order[i] * rowBytes, rowBytes);
        }
        return out;
    }
}
