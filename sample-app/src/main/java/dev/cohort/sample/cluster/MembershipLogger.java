package dev.cohort.sample.cluster;

import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.cluster.NodeJoinedEvent;
import dev.cohort.cluster.NodeLeftEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs this node's id once the application is ready, and every node that joins or leaves
 * the cluster. Cohort publishes {@link NodeJoinedEvent} and {@link NodeLeftEvent} as
 * ordinary application events, on its membership thread.
 */
@Component
class MembershipLogger {

	private static final Log logger = LogFactory.getLog(MembershipLogger.class);

	private final ClusterNodes clusterNodes;

	MembershipLogger(ClusterNodes clusterNodes) {
		this.clusterNodes = clusterNodes;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onReady() {
		NodeInfo self = this.clusterNodes.self();
		logger.info("This is node '" + self.id() + "' (" + self.role().label() + "), one of "
				+ this.clusterNodes.members().size() + " live member(s)");
	}

	@EventListener
	void onJoined(NodeJoinedEvent event) {
		logger.info("Node '" + event.node().id() + "' joined: " + describe(event.node()) + "; "
				+ this.clusterNodes.members().size() + " live member(s)");
	}

	@EventListener
	void onLeft(NodeLeftEvent event) {
		String how = (event.reason() == NodeLeftEvent.Reason.LEFT) ? "left" : "timed out";
		logger.info("Node '" + event.node().id() + "' " + how + ": " + describe(event.node()) + "; "
				+ this.clusterNodes.members().size() + " live member(s)");
	}

	private static String describe(NodeInfo node) {
		return node.role().label() + " on " + node.host() + ", pid " + node.pid();
	}

}
