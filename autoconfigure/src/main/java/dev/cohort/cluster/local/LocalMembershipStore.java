package dev.cohort.cluster.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cohort.cluster.MembershipStore;
import dev.cohort.cluster.NodeInfo;

/**
 * Keeps the membership list in memory, for a solitary node, with the same deadlines and
 * the same rules as the Redis store.
 */
public class LocalMembershipStore implements MembershipStore {

	private final Map<String, Entry> nodes = new LinkedHashMap<>();

	private long sequence;

	@Override
	public synchronized Heartbeat heartbeat(NodeInfo node, Duration timeout) {
		long now = time();
		this.nodes.values().removeIf((entry) -> entry.deadline <= now);
		Entry current = this.nodes.get(node.id());
		if (current != null && !current.node.instance().equals(node.instance())) {
			return new Heartbeat(Status.ID_TAKEN, now, members());
		}
		this.nodes.put(node.id(), new Entry(node, now + timeout.toMillis()));
		return new Heartbeat((current != null) ? Status.REFRESHED : Status.JOINED, now, members());
	}

	private List<NodeInfo> members() {
		List<NodeInfo> members = new ArrayList<>();
		this.nodes.values().forEach((entry) -> members.add(entry.node));
		return members;
	}

	@Override
	public synchronized void leave(NodeInfo node) {
		Entry current = this.nodes.get(node.id());
		if (current != null && current.node.instance().equals(node.instance())) {
			this.nodes.remove(node.id());
		}
	}

	@Override
	public synchronized boolean isRegistered(String nodeId) {
		return this.nodes.containsKey(nodeId);
	}

	@Override
	public synchronized Map<String, Long> deadlines() {
		Map<String, Long> deadlines = new LinkedHashMap<>();
		this.nodes.forEach((id, entry) -> deadlines.put(id, entry.deadline));
		return deadlines;
	}

	@Override
	public synchronized long nextNodeNumber() {
		return ++this.sequence;
	}

	@Override
	public long time() {
		return System.currentTimeMillis();
	}

	private record Entry(NodeInfo node, long deadline) {
	}

}
