package dev.cohort.tasks.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.JobRecord;
import dev.cohort.tasks.MaskedArguments;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes what is kept about a failed job: the job, where and how it failed, with the
 * arguments' masked properties hidden (the arguments whole, for a task this node does not
 * know).
 */
final class JobFailures {

	private final JsonMapper mapper = JsonMapper.builder().build();

	String describe(ClaimedJob claimed, String reason, String nodeId, @Nullable Throwable error, long at,
			@Nullable List<String> masked) {
		JobRecord job = claimed.job();
		Map<String, Object> failure = new LinkedHashMap<>();
		failure.put("reason", reason);
		failure.put("task", job.task());
		failure.put("queue", job.queue());
		failure.put("args", MaskedArguments.tree(job.args(), masked));
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

}
