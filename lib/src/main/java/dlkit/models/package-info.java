/**
 * Reusable model definitions: one class per model family, each a small factory of DJL blocks
 * with the layout its coursework describes.
 */
package dlkit.models;
