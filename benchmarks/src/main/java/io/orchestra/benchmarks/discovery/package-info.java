/**
 * Benchmarks of orchestra-discovery: {@code discover()} on a warm cache per load balancer and
 * size, beside the seed's score-and-sort-per-call approach and Spring Cloud LoadBalancer's
 * round robin.
 */
package io.orchestra.benchmarks.discovery;
