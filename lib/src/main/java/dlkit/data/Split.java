package dlkit.data;

/**
 * A training set divided, reproducibly, into the images to train on and those to validate on.
 *
 * @param train the images to train on
 * @param validation the held-out images for choosing hyper-parameters
 */
public record Split(ImageSet train, ImageSet validation) {}
