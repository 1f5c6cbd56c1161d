/** dlkit: helpers for Java deep-learning notebooks (DJL, Tablesaw, XChart). */
package dlkit;
