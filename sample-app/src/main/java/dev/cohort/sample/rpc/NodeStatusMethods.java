package dev.cohort.sample.rpc;

import java.time.Duration;

import dev.cohort.cluster.ClusterClock;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.rpc.ClusterRpcMethod;
import dev.cohort.sample.announcements.AnnouncementInbox;

import org.springframework.stereotype.Component;

/**
 * The RPC method this node exposes to the others. Only methods annotated with
 * {@link ClusterRpcMethod} (or exposed through {@code RpcMethods}) can be called from
 * another node; the other methods of this bean, and every other bean, cannot.
 * <p>
 * Calls run on Cohort's RPC threads ({@code cohort-rpc-<n>}), several at a time, so the
 * method must be thread-safe; it is also quick, because a slow method keeps a thread from
 * every other caller.
 */
@Component
class NodeStatusMethods {

	/** The name callers use. */
	static final String NODE_STATUS = "node-status";

	private final ClusterNodes clusterNodes;

	private final ClusterClock clusterClock;

	private final AnnouncementInbox inbox;

	NodeStatusMethods(ClusterNodes clusterNodes, ClusterClock clusterClock, AnnouncementInbox inbox) {
		this.clusterNodes = clusterNodes;
		this.clusterClock = clusterClock;
		this.inbox = inbox;
	}

	@ClusterRpcMethod(NODE_STATUS)
	NodeStatus nodeStatus() {
		NodeInfo self = this.clusterNodes.self();
		Duration uptime = Duration.ofMillis(this.clusterClock.millis() - self.startedAt().toEpochMilli());
		return new NodeStatus(self.id(), self.role().label(), uptime.isNegative() ? Duration.ZERO : uptime,
				Runtime.getRuntime().freeMemory(), this.inbox.receivedCount());
	}

}
