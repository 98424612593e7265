package dev.cohort.autoconfigure;

import dev.cohort.cluster.ClusterConfigurationException;
import dev.cohort.operations.ClusterOperations;
import dev.cohort.operations.dashboard.DashboardAccess;
import dev.cohort.operations.dashboard.internal.AnonymousDashboardAccess;
import dev.cohort.operations.dashboard.internal.DashboardController;
import dev.cohort.operations.dashboard.internal.DashboardInterceptor;
import dev.cohort.operations.dashboard.internal.SpringSecurityDashboardAccess;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard ({@code cluster.dashboard.enabled=true}) on servlet web applications with
 * Spring MVC: its page and JSON API at {@code cluster.dashboard.path}, reading and
 * writing through {@link ClusterOperations}, guarded by a {@link DashboardAccess}.
 * <p>
 * With Spring Security, the user needs {@code cluster.dashboard.role} and writes need its
 * CSRF protection; no {@code SecurityFilterChain} is defined here, so that Boot's default
 * web security stays as it is for the rest of the application. Without Spring Security,
 * the dashboard refuses to start unless {@code cluster.dashboard.allow-anonymous=true}.
 */
@AutoConfiguration(after = { ClusterAutoConfiguration.class, ClusterOperationsAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(WebMvcConfigurer.class)
@ConditionalOnBooleanProperty("cluster.dashboard.enabled")
@ConditionalOnBean(ClusterOperations.class)
@EnableConfigurationProperties(ClusterProperties.class)
public final class ClusterDashboardAutoConfiguration {

	ClusterDashboardAutoConfiguration(ClusterProperties properties) {
		String path = properties.getDashboard().getPath();
		if (!path.matches("(/[A-Za-z0-9._~-]+)+")) {
			throw new ClusterConfigurationException(
					"cluster.dashboard.path '" + path + "' is not a usable path for the dashboard",
					"Set cluster.dashboard.path to a path such as /cohort: starting with '/', not ending with '/', "
							+ "of letters, digits, '.', '_', '~' and '-' between the slashes.");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardController clusterDashboardController(ClusterOperations operations, DashboardAccess access) {
		return new DashboardController(operations, access);
	}

	@Bean
	WebMvcConfigurer clusterDashboardGuard(DashboardAccess access, ClusterProperties properties) {
		String path = properties.getDashboard().getPath();
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(new DashboardInterceptor(access))
					.addPathPatterns(path, path + "/", path + "/assets/**", path + "/api/**");
			}

		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ SecurityContextHolder.class, org.springframework.security.web.csrf.CsrfToken.class })
	static class WithSpringSecurity {

		@Bean
		@ConditionalOnMissingBean
		DashboardAccess clusterDashboardAccess(ClusterProperties properties,
				ObjectProvider<SecurityContextHolderStrategy> contexts) {
			return new SpringSecurityDashboardAccess(properties.getDashboard().getRole(),
					contexts.getIfAvailable(SecurityContextHolder::getContextHolderStrategy));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.web.csrf.CsrfToken")
	static class WithoutSpringSecurity {

		@Bean
		@ConditionalOnMissingBean
		DashboardAccess clusterDashboardAccess(ClusterProperties properties) {
			if (!properties.getDashboard().isAllowAnonymous()) {
				throw new ClusterConfigurationException(
						"The Cohort dashboard is enabled, but Spring Security is not on the classpath: anyone who "
								+ "reaches " + properties.getDashboard().getPath()
								+ " could see the cluster and change it",
						"Add spring-boot-starter-security and give the dashboard's users the role "
								+ properties.getDashboard().getRole() + " (cluster.dashboard.role), or, if a network "
								+ "or proxy already keeps strangers out, set cluster.dashboard.allow-anonymous=true. "
								+ "To turn the dashboard off, set cluster.dashboard.enabled=false.");
			}
			return new AnonymousDashboardAccess();
		}

	}

}
