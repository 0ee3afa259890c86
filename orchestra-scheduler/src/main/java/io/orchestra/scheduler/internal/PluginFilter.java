package io.orchestra.scheduler.internal;

import io.orchestra.scheduler.FilterPlugin;

/**
 * Adapts a user {@link FilterPlugin} to the pipeline; runs after every built-in filter. A node
 * removed since the built-in filters passed it (see {@link NodeCursor}) fails without reaching the
 * plugin.
 */
final class PluginFilter extends NodeFilter {
  private final FilterPlugin plugin;

  PluginFilter(FilterPlugin plugin) {
    super(plugin.name());
    this.plugin = plugin;
  }

  @Override
  boolean test(RequestContext ctx, int slot) {
    NodeCursor node = ctx.cursor.at(slot);
    return node.info != null && plugin.accepts(ctx.request, node);
  }

  @Override
  String reason(RequestContext ctx, int slot) {
    NodeCursor node = ctx.cursor.at(slot);
    return node.info == null ? "node removed" : plugin.reason(ctx.request, node);
  }
}
