/** Looking inside models: {@link dlkit.model.ModelSummary} (layers, output shapes, parameter counts). */
package dlkit.model;
