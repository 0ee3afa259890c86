/**
 * The transport port ({@link io.orchestra.core.transport.Transport}, {@link
 * io.orchestra.core.transport.ServiceClient}), its request/response model, outcome classes for
 * retries and breakers, and the real HTTP implementation ({@link
 * io.orchestra.core.transport.HttpTransport}).
 */
package io.orchestra.core.transport;
