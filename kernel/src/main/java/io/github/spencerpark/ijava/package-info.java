/**
 * IJava's kernel access ({@code IJava.getKernelInstance()}), so that notebooks written for IJava
 * run unchanged in the dlkit kernel: their renderer registrations, {@code display}, {@code eval} and
 * class path additions. A compatibility layer over the dlkit kernel, not IJava's code.
 */
package io.github.spencerpark.ijava;
