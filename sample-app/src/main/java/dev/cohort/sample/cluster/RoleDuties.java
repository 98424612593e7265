package dev.cohort.sample.cluster;

import dev.cohort.autoconfigure.ConditionalOnNodeRole;
import dev.cohort.cluster.NodeRole;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Beans that only some roles get, chosen by {@code cluster.role} (which the
 * {@code server} and {@code worker} profiles set): a real application would put its
 * client-facing beans on servers and its background work on workers.
 */
@Configuration(proxyBeanMethods = false)
class RoleDuties {

	private static final Log logger = LogFactory.getLog(RoleDuties.class);

	@Bean
	@ConditionalOnNodeRole(NodeRole.SERVER)
	ApplicationRunner serverDuties() {
		return (arguments) -> logger.info("Serving clients on this node (cluster.role takes on server duties)");
	}

	@Bean
	@ConditionalOnNodeRole(NodeRole.WORKER)
	ApplicationRunner workerDuties() {
		return (arguments) -> logger.info("Running background work on this node (cluster.role takes on worker duties)");
	}

}
