package dev.cohort.tasks;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hides a task's masked arguments ({@link ClusterTask#maskedArguments()}) in a job's
 * arguments: every property of one of those names, at any depth, shows as {@value #MASK}.
 * Failed jobs are stored masked this way; whatever shows the arguments of other jobs
 * masks them with it too.
 */
public final class MaskedArguments {

	/** What a masked value shows as. */
	public static final String MASK = "***";

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private MaskedArguments() {
	}

	/**
	 * Masks arguments as a task's definition says. Arguments of a task this node does not
	 * define are hidden whole, since which of their properties are secret is unknown.
	 * @param args the arguments as JSON, or {@code null}
	 * @param task the task's definition, or {@code null} if this node does not know it
	 * @return the masked arguments as JSON, or {@code null} if there were none
	 */
	public static @Nullable String mask(@Nullable String args, @Nullable TaskDefinition task) {
		if (args == null) {
			return null;
		}
		if (task == null) {
			return mapper.writeValueAsString(MASK);
		}
		JsonNode tree = tree(args, task.maskedArguments());
		return (tree != null) ? tree.toString() : null;
	}

	/**
	 * Masks arguments.
	 * @param args the arguments as JSON, or {@code null}
	 * @param masked the names of the properties to mask
	 * @return the masked arguments, {@value #MASK} whole if they are not JSON, or
	 * {@code null} if there were none
	 */
	public static @Nullable JsonNode tree(@Nullable String args, List<String> masked) {
		if (args == null) {
			return null;
		}
		try {
			JsonNode tree = mapper.readTree(args);
			if (!masked.isEmpty()) {
				maskIn(tree, masked);
			}
			return tree;
		}
		catch (JacksonException ex) {
			return mapper.getNodeFactory().stringNode(MASK);
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
