package dev.cohort.tasks.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What makes two jobs the same, for job locks and unique jobs: task, queue and arguments,
 * whatever the order of the arguments' properties. Enqueued jobs and the runs of a
 * recurring task get their identity here alike, so they lock each other out.
 */
final class JobIdentity {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private JobIdentity() {
	}

	/**
	 * The identity of a job.
	 * @param task the task's name
	 * @param queue the queue
	 * @param args the arguments as JSON, or {@code null}
	 * @return {@code <task>:<hash>}
	 */
	static String of(String task, String queue, @Nullable String args) {
		String canonical = (args != null) ? mapper.writeValueAsString(sorted(mapper.readTree(args))) : "";
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			byte[] hash = digest.digest((queue + "\n" + canonical).getBytes(StandardCharsets.UTF_8));
			return task + ":" + HexFormat.of().formatHex(hash, 0, 16);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Object sorted(JsonNode node) {
		if (node.isObject()) {
			Map<String, Object> fields = new TreeMap<>();
			node.properties().forEach((entry) -> fields.put(entry.getKey(), sorted(entry.getValue())));
			return fields;
		}
		if (node.isArray()) {
			List<Object> items = new ArrayList<>();
			node.forEach((item) -> items.add(sorted(item)));
			return items;
		}
		return node;
	}

}
