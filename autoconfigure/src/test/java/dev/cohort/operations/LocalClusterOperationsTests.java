package dev.cohort.operations;

import dev.cohort.cache.CacheStore;
import dev.cohort.connections.ConnectionStore;
import dev.cohort.tasks.JobRecord;
import dev.cohort.tasks.TaskStore;
import dev.cohort.testapp.TestNodes;

/**
 * {@link ClusterOperations} on a solitary node of the local transport, with a web server
 * and a WebSocket client, every write checked in the node's stores.
 */
class LocalClusterOperationsTests extends AbstractClusterOperationsTests {

	@Override
	protected TestNodes createNodes() {
		return TestNodes.local();
	}

	@Override
	protected int startNodes() {
		this.contexts.add(this.nodes.startWeb(SOURCES, "test.tasks.recurring=true", "test.tasks.frequency=1h"));
		return 1;
	}

	@Override
	protected boolean storeHasFailed(String jobId) {
		return snapshot(jobId).failed().containsKey(jobId);
	}

	@Override
	protected boolean storeHasJob(String jobId) {
		return snapshot(jobId).jobs().containsKey(jobId);
	}

	@Override
	protected boolean storeHasLock(String name) {
		return first().getBean(CacheStore.class).lock(name) != null;
	}

	@Override
	protected boolean directoryHas(String connectionId, String nodeId) {
		return first().getBean(ConnectionStore.class).nodeOf(connectionId).filter(nodeId::equals).isPresent();
	}

	/** Everything the queue of a job holds: every waiting job, and the others. */
	private TaskStore.QueueSnapshot snapshot(String jobId) {
		return first().getBean(TaskStore.class).inspect(JobRecord.queueOf(jobId), 0, -1);
	}

}
