package dev.cohort.cluster.health.internal;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.core.env.Environment;

/**
 * Makes the {@code cluster} health contributor a member of Boot's {@code readiness}
 * group, so that a node is ready only while it is a live member of the cluster, unless
 * the application names the group's members itself
 * ({@code management.endpoint.health.group.readiness.include} or {@code .exclude}).
 * <p>
 * It decorates the group Boot built, rather than setting
 * {@code management.endpoint.health.group.readiness.include} by default: Boot checks that
 * every contributor a group names exists and fails to start otherwise, so a default
 * property would break applications where {@code readinessState} or {@code cluster} does
 * not exist (probes disabled, the indicator disabled). A decorated group only adds a
 * contributor that exists, to a group that exists. It must run after Boot's own
 * post-processor, which builds the probe groups: its auto-configuration is ordered after
 * Boot's probes auto-configuration, and both have the lowest precedence.
 */
public class ClusterReadinessGroups implements HealthEndpointGroupsPostProcessor {

	/** The name of the readiness probe's group. */
	public static final String READINESS = "readiness";

	private static final String GROUP_PROPERTY = "management.endpoint.health.group." + READINESS + ".";

	private final String contributor;

	private final boolean explicitMembership;

	/**
	 * Creates the post-processor.
	 * @param contributor the name of the contributor to add to the readiness group
	 * @param environment tells whether the application names the group's members
	 */
	public ClusterReadinessGroups(String contributor, Environment environment) {
		this.contributor = contributor;
		this.explicitMembership = environment.containsProperty(GROUP_PROPERTY + "include")
				|| environment.containsProperty(GROUP_PROPERTY + "exclude");
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		if (this.explicitMembership || groups.get(READINESS) == null) {
			return groups;
		}
		return new Groups(groups, this.contributor);
	}

	/**
	 * The groups, with one more member in the readiness group. They keep the additional
	 * paths ({@code /readyz}) of the groups they decorate.
	 */
	private static final class Groups implements HealthEndpointGroups, AdditionalPathsMapper {

		private final HealthEndpointGroups groups;

		private final String contributor;

		Groups(HealthEndpointGroups groups, String contributor) {
			this.groups = groups;
			this.contributor = contributor;
		}

		@Override
		public HealthEndpointGroup getPrimary() {
			return this.groups.getPrimary();
		}

		@Override
		public Set<String> getNames() {
			return this.groups.getNames();
		}

		@Override
		public @Nullable HealthEndpointGroup get(String name) {
			HealthEndpointGroup group = this.groups.get(name);
			return (group != null && name.equals(READINESS)) ? new Group(group, this.contributor) : group;
		}

		@Override
		public @Nullable List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
			return (this.groups instanceof AdditionalPathsMapper mapper)
					? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
		}

	}

	/**
	 * A group with one more member.
	 */
	private record Group(HealthEndpointGroup group, String contributor) implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return name.equals(this.contributor) || this.group.isMember(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.group.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.group.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.group.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.group.getHttpCodeStatusMapper();
		}

		@Override
		public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
			return this.group.getAdditionalPath();
		}

	}

}
