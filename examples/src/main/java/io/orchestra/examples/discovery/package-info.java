/** Using orchestra-discovery from application code: register, {@code discover()}, report back. */
package io.orchestra.examples.discovery;
