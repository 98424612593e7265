package dev.cohort.operations.dashboard.internal;

import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.dashboard.DashboardAccess;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Lets anyone use the dashboard: for applications without Spring Security that set
 * {@code cluster.dashboard.allow-anonymous=true}, behind a network or proxy that keeps
 * strangers out. Writes are logged as done by {@code anonymous}.
 */
public final class AnonymousDashboardAccess implements DashboardAccess {

	@Override
	public Decision check(HttpServletRequest request, boolean write) {
		return Decision.allow(ClusterOperations.ANONYMOUS);
	}

}
