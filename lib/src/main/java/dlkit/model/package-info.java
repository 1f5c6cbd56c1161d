/**
 * Looking inside models: {@link dlkit.model.ModelSummary} (layers, output shapes, parameter counts)
 * and {@link dlkit.model.Features} (a layer's activations for a whole image set, saved as NPZ).
 */
package dlkit.model;
