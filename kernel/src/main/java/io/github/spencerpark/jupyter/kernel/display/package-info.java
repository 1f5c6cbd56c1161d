/**
 * IJava's display types ({@code Renderer}, {@code RenderContext}, {@code DisplayData}, {@code
 * MIMEType}) as views of the JJava types the dlkit kernel uses, so that notebooks written for
 * IJava register renderers and build display data unchanged. A compatibility layer, not IJava's code.
 */
package io.github.spencerpark.jupyter.kernel.display;
