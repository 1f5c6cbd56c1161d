/**
 * JJava's kernel class, for notebooks written for JJava: {@code kernel()} returns it.
 */
package org.dflib.jjava.kernel;
