package dev.cohort.tasks;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hides properties of a job's arguments: every property of one of the names, at any
 * depth, shows as {@value #MASK}. The names are a task's masked arguments
 * ({@link ClusterTask#maskedArguments()}) and the filtered parameters of every task, as
 * {@link TaskRegistry#maskedArguments(String)} gives them. Failed jobs are stored masked
 * this way; whatever shows the arguments of other jobs masks them with it too.
 */
public final class MaskedArguments {

	/** What a masked value shows as. */
	public static final String MASK = "***";

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private MaskedArguments() {
	}

	/**
	 * Masks arguments.
	 * @param args the arguments as JSON, or {@code null}
	 * @param masked the names of the properties to mask, or {@code null} to hide the
	 * arguments whole (those of a task this node does not know, whose secrets it cannot
	 * tell)
	 * @return the masked arguments as JSON, or {@code null} if there were none
	 */
	public static @Nullable String mask(@Nullable String args, @Nullable List<String> masked) {
		JsonNode tree = tree(args, masked);
		return (tree != null) ? tree.toString() : null;
	}

	/**
	 * Masks arguments.
	 * @param args the arguments as JSON, or {@code null}
	 * @param masked the names of the properties to mask, or {@code null} to hide the
	 * arguments whole
	 * @return the masked arguments, {@value #MASK} whole if they are not JSON, or
	 * {@code null} if there were none
	 */
	public static @Nullable JsonNode tree(@Nullable String args, @Nullable List<String> masked) {
		if (args == null) {
			return null;
		}
		if (masked == null) {
			return mapper.getNodeFactory().stringNode(MASK);
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
