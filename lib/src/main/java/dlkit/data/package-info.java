/**
 * Datasets for the notebooks: MNIST, Fashion-MNIST and CIFAR-10, checked and loaded with one call,
 * and the command that fetches them.
 *
 * <pre>{@code
 * try (ImageDataset mnist = Datasets.mnist().optLimit(10_000).optNormalization(Normalization.MNIST).load()) {
 *     NDArray x = mnist.train().images();       // [10000, 1, 28, 28] float32
 *     Split split = mnist.split(0.2, 42);        // seeded train/validation split
 *     RandomAccessDataset batches = split.train().dataset(128, true);
 * }
 * }</pre>
 *
 * <p>Files live under the data root ({@link DataRoot}): {@code mnist/}, {@code fashion-mnist/} and
 * {@code cifar-10/cifar-10-batches-bin/}. Every read checks the files' structure (magic numbers,
 * dimensions, exact lengths, counts, label ranges) and their content against the SHA-256 manifest
 * ({@code dlkit/data/manifest.txt}); a {@code .verified} stamp remembers files whose content was
 * checked, so the hash is only computed again when a file's size or modification time changes.
 * Any problem is a {@link DatasetException} that names the file, what is wrong and the command that
 * fixes it, which is {@link Fetch} ({@code environment/fetch-data.sh}).
 */
package dlkit.data;
