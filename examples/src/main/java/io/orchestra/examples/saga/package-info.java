/** Embedding orchestra-saga in a business workflow whose steps are the application's own functions. */
package io.orchestra.examples.saga;
