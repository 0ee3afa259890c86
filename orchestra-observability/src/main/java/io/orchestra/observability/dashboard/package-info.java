/**
 * The service health dashboard document ({@link
 * io.orchestra.observability.dashboard.ServiceHealthDashboard}): KPIs, trends, top issues,
 * dependencies and health score; serializable with Jackson.
 */
package io.orchestra.observability.dashboard;
