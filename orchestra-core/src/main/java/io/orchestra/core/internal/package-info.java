/**
 * Implementation helpers shared by Orchestra modules. Not public API: anything here may change
 * without notice.
 */
package io.orchestra.core.internal;
