/** Routing through orchestra-mesh with policies from a YAML file on the class path. */
package io.orchestra.examples.mesh;
