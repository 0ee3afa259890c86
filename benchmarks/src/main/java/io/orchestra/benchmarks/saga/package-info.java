/** orchestra-saga benchmarks: orchestration overhead per step and durable sagas per second. */
package io.orchestra.benchmarks.saga;
