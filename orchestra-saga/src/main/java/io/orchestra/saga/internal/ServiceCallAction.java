package io.orchestra.saga.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.orchestra.core.transport.Request;
import io.orchestra.core.transport.Response;
import io.orchestra.saga.Compensation;
import io.orchestra.saga.ServiceCall;
import io.orchestra.saga.ServiceCallException;
import io.orchestra.saga.StepAction;
import io.orchestra.saga.StepContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Runs a {@link ServiceCall} as a step or compensation: expands the templates against the saga
 * data, sends it with the saga headers, fails on a non-2xx status and maps the response into the
 * data. Immutable. Not public API.
 *
 * @param <D> the saga data type
 */
public final class ServiceCallAction<D> implements StepAction<D>, Compensation<D> {
  private final ServiceCall call;

  /** Wraps {@code call}. */
  public ServiceCallAction(ServiceCall call) {
    this.call = call;
  }

  @Override
  public CompletionStage<D> execute(StepContext<D> context) {
    StepContextImpl<D> ctx = (StepContextImpl<D>) context;
    return ctx.call(call.service(), request(ctx)).thenApply(response -> map(ctx, response));
  }

  @Override
  public CompletionStage<?> compensate(StepContext<D> context) {
    StepContextImpl<D> ctx = (StepContextImpl<D>) context;
    return ctx.call(call.service(), request(ctx)).thenApply(response -> check(ctx, response));
  }

  private Request request(StepContextImpl<D> ctx) {
    StringBuilder path = new StringBuilder(Templates.text(call.path(), ctx::resolve, true));
    char sep = path.indexOf("?") >= 0 ? '&' : '?';
    for (Map.Entry<String, String> q : call.query().entrySet()) {
      path.append(sep)
          .append(Templates.urlEncode(q.getKey()))
          .append('=')
          .append(Templates.text(q.getValue(), ctx::resolve, true));
      sep = '&';
    }
    Request.Builder b = Request.builder(call.method(), path.toString());
    for (Map.Entry<String, String> h : call.headers().entrySet()) {
      b.header(h.getKey(), Templates.text(h.getValue(), ctx::resolve, false));
    }
    String body = null;
    if (call.bodyFromData()) {
      body = ctx.dataJson();
    } else if (call.bodyTemplate() != null) {
      body = Templates.json(call.bodyTemplate(), ctx::resolve);
    }
    if (body != null) {
      b.header("content-type", "application/json").body(body);
    }
    return b.build();
  }

  private Response check(StepContextImpl<D> ctx, Response response) {
    if (response.status() < 200 || response.status() > 299) {
      String text = response.bodyAsString();
      if (text.length() > 200) {
        text = text.substring(0, 200) + "...";
      }
      throw new ServiceCallException(
          call.service(),
          response.status(),
          call.method() + " " + call.service() + " for step " + ctx.stepName() + " answered "
              + response.status() + (text.isEmpty() ? "" : ": " + text));
    }
    return response;
  }

  private D map(StepContextImpl<D> ctx, Response response) {
    check(ctx, response);
    if (call.responseMapping() == ServiceCall.ResponseMapping.IGNORE) {
      return null;
    }
    // The participant has acted; a response we cannot use must not read as "nothing happened".
    try {
      JsonNode body = ctx.codec().mapper().readTree(new String(response.body(), StandardCharsets.UTF_8));
      JsonNode data = ctx.dataTree().deepCopy();
      if (!(data instanceof ObjectNode target)) {
        throw new ResultRejectedException("saga data is not a JSON object, cannot merge a response");
      }
      if (call.responseMapping() == ServiceCall.ResponseMapping.MERGE) {
        if (!(body instanceof ObjectNode fields)) {
          throw new ResultRejectedException("response of " + call.service() + " is not a JSON object");
        }
        target.setAll(fields);
      } else {
        target.set(call.responseField(), body);
      }
      return ctx.codec().fromTree(target, ctx.dataType());
    } catch (ResultRejectedException e) {
      throw e;
    } catch (Exception e) {
      throw new ResultRejectedException(
          "response of " + call.service() + " cannot be merged into the saga data: " + DataCodec.message(e));
    }
  }
}
