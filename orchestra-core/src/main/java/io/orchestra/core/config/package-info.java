/** Loading configuration objects from JSON and YAML ({@link io.orchestra.core.config.ConfigLoader}). */
package io.orchestra.core.config;
