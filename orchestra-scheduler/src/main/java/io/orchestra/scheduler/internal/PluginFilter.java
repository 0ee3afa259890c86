package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.FilterPlugin;

/** Adapts a user {@link FilterPlugin} to the pipeline; runs after every built-in filter. */
final class PluginFilter extends NodeFilter {
  private final FilterPlugin plugin;

  PluginFilter(FilterPlugin plugin) {
    super(plugin.name());
    this.plugin = plugin;
  }

  @Override
  boolean test(RequestContext ctx, int slot) {
    return plugin.accepts(ctx.request, ctx.cursor.at(slot));
  }

  @Override
  String reason(RequestContext ctx, int slot) {
    return plugin.reason(ctx.request, ctx.cursor.at(slot));
  }
}
