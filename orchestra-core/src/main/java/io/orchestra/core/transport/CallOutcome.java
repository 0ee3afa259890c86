package io.orchestra.core.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * How a call ended, in the classes that retry policies and circuit breakers distinguish.
 *
 * <p>Gateway errors (502, 503, 504) are kept apart from other 5xx so that a policy can retry one
 * and not the other; {@link #isServerError()} covers both.
 */
public enum CallOutcome {
  /** A 1xx, 2xx or 3xx response. */
  SUCCESS,
  /** A 4xx response: the caller's problem, not counted against the destination. */
  CLIENT_ERROR,
  /** A 5xx response other than 502, 503 and 504. */
  SERVER_ERROR,
  /** A 502, 503 or 504 response. */
  GATEWAY_ERROR,
  /** No connection could be made: refused, unreachable, unresolved, or connect timeout. */
  CONNECT_FAILURE,
  /** Connected, but no response arrived within the time allowed. */
  TIMEOUT,
  /** The connection broke after it was made, before a complete response. */
  RESET,
  /** The TLS handshake failed (untrusted or expired certificate, missing client certificate). */
  TLS_FAILURE,
  /** The caller cancelled the call. */
  CANCELLED,
  /** Any other failure. */
  FAILURE;

  /** Whether this outcome counts against the destination (everything but success and 4xx). */
  public boolean isFailure() {
    return this != SUCCESS && this != CLIENT_ERROR;
  }

  /** Whether this is a 5xx response, gateway errors included. */
  public boolean isServerError() {
    return this == SERVER_ERROR || this == GATEWAY_ERROR;
  }

  /** Whether no response arrived at all. */
  public boolean isTransportFailure() {
    return this == CONNECT_FAILURE
        || this == TIMEOUT
        || this == RESET
        || this == TLS_FAILURE
        || this == CANCELLED
        || this == FAILURE;
  }

  /** Classifies an HTTP status code. */
  public static CallOutcome ofStatus(int status) {
    if (status < 400) {
      return SUCCESS;
    }
    if (status < 500) {
      return CLIENT_ERROR;
    }
    return status == 502 || status == 503 || status == 504 ? GATEWAY_ERROR : SERVER_ERROR;
  }

  /**
   * Classifies an exception from a call, unwrapping {@link CompletionException} and {@link
   * ExecutionException}.
   */
  public static CallOutcome ofThrowable(Throwable error) {
    Throwable t = unwrap(error);
    if (t instanceof TransportException te) {
      return te.outcome();
    }
    if (t instanceof CancellationException) {
      return CANCELLED;
    }
    if (t instanceof HttpConnectTimeoutException
        || t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof UnknownHostException
        || t instanceof UnresolvedAddressException) {
      return CONNECT_FAILURE;
    }
    if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
      return TIMEOUT;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SSLException) {
        return TLS_FAILURE;
      }
      if (c instanceof ConnectException || c instanceof UnresolvedAddressException) {
        return CONNECT_FAILURE;
      }
      if (c == c.getCause()) {
        break;
      }
    }
    if (t instanceof IOException) {
      return RESET;
    }
    return FAILURE;
  }

  /** Strips the wrappers that asynchronous code adds around the real cause. */
  public static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
