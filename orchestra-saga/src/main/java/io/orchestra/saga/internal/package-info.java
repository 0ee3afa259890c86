/** The saga engine's machinery. Not public API: may change without notice. */
package io.orchestra.saga.internal;
