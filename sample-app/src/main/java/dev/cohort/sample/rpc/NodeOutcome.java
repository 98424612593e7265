package dev.cohort.sample.rpc;

import dev.cohort.rpc.BroadcastResult;
import dev.cohort.rpc.BroadcastResult.Failure;
import dev.cohort.rpc.BroadcastResult.Value;
import org.jspecify.annotations.Nullable;

/**
 * What one node answered to the broadcast of {@code GET /rpc/status}.
 *
 * @param nodeId the node
 * @param outcome {@code value} (the node answered with its status), {@code error} (it
 * answered with an error) or {@code no-answer} (no answer came within the timeout)
 * @param status the node's status, for {@code value}
 * @param error what went wrong, for {@code error}
 */
public record NodeOutcome(String nodeId, String outcome, @Nullable NodeStatus status, @Nullable String error) {

	static NodeOutcome of(String nodeId, BroadcastResult.Outcome<NodeStatus> outcome) {
		if (outcome instanceof Value<NodeStatus> value) {
			return new NodeOutcome(nodeId, "value", value.value(), null);
		}
		if (outcome instanceof Failure<NodeStatus> failure) {
			return new NodeOutcome(nodeId, "error", null, failure.error().getMessage());
		}
		return new NodeOutcome(nodeId, "no-answer", null, null);
	}

}
