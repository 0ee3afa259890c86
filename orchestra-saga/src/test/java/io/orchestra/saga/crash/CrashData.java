package io.orchestra.saga.crash;

/** Saga data of the crash test: the saga's number decides its fate. */
public record CrashData(int n) {}
