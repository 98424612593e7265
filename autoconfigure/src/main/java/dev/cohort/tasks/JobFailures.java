package dev.cohort.tasks;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes what is kept about a failed job: the job, where and how it failed, with the
 * arguments' masked properties hidden.
 */
final class JobFailures {

	static final String MASK = "***";

	private final JsonMapper mapper = JsonMapper.builder().build();

	String describe(ClaimedJob claimed, String reason, String nodeId, @Nullable Throwable error, long at,
			List<String> masked) {
		JobRecord job = claimed.job();
		Map<String, Object> failure = new LinkedHashMap<>();
		failure.put("reason", reason);
		failure.put("task", job.task());
		failure.put("queue", job.queue());
		failure.put("args", mask(job.args(), masked));
		failure.put("node", nodeId);
		failure.put("attempt", claimed.attempt());
		failure.put("at", at);
		if (error != null) {
			failure.put("exception", error.getClass().getName());
			failure.put("message", error.getMessage());
			StringWriter stack = new StringWriter();
			error.printStackTrace(new PrintWriter(stack));
			failure.put("stack", stack.toString());
		}
		return this.mapper.writeValueAsString(failure);
	}

	private @Nullable JsonNode mask(@Nullable String args, List<String> masked) {
		if (args == null) {
			return null;
		}
		try {
			JsonNode tree = this.mapper.readTree(args);
			if (!masked.isEmpty()) {
				maskIn(tree, masked);
			}
			return tree;
		}
		catch (JacksonException ex) {
			return this.mapper.getNodeFactory().stringNode(MASK);
		}
	}

	private static void maskIn(JsonNode node, List<String> masked) {
		if (node instanceof ObjectNode object) {
			for (String name : masked) {
				if (object.has(name)) {
					object.put(name, MASK);
				}
			}
		}
		for (JsonNode child : node) {
			maskIn(child, masked);
		}
	}

}
