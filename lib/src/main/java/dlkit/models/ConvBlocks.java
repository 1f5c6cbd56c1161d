package dlkit.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;

/** The building blocks the CIFAR models share: 3x3 convolutions with batch norm, residual sums. */
final class ConvBlocks {

    private ConvBlocks() {}

    /** Fails with a clear message unless {@code classes} is a usable output count. */
    static int requireClasses(String model, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException(model + ": classes must be positive, got " + classes);
        }
        return classes;
    }

    /** A 3x3 convolution with padding 1 (same size at stride 1, halved at stride 2). */
    static Conv2d conv3x3(int filters, int stride, boolean bias) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1))
                .optStride(new Shape(stride, stride))
                .optBias(bias)
                .setFilters(filters)
                .build();
    }

    /** conv 3x3 (no bias: batch norm has its own shift), batch norm, ReLU. */
    static SequentialBlock convBnRelu(int filters) {
        return new SequentialBlock()
                .add(conv3x3(filters, 1, false))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    /** {@code main(x) + shortcut(x)}: the two branches must give the same shape. */
    static ParallelBlock sum(Block main, Block shortcut) {
        return new ParallelBlock(
                outputs -> {
                    NDArray a = outputs.get(0).singletonOrThrow();
                    NDArray b = outputs.get(1).singletonOrThrow();
                    return new NDList(a.add(b));
                },
                List.of(main, shortcut));
    }
}
