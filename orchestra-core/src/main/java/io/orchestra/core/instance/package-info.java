/**
 * The shared instance model ({@link io.orchestra.core.instance.ServiceInstance}) and the port
 * through which traffic-sending engines obtain instances ({@link
 * io.orchestra.core.instance.InstanceSource}).
 */
package io.orchestra.core.instance;
