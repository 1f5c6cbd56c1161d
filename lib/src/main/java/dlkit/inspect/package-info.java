/**
 * Looking inside models: {@link dlkit.inspect.ModelSummary} (layers, output shapes, parameter counts)
 * and {@link dlkit.inspect.Features} (a layer's activations for a whole image set, saved as NPZ).
 */
package dlkit.inspect;
