package dev.cohort.tasks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The tasks this node knows, by name: the ones it can run, and whose queue it uses when
 * enqueueing them; and which of their arguments' properties are hidden wherever a job
 * shows.
 */
public class TaskRegistry {

	private final Map<String, TaskDefinition> tasks = new ConcurrentHashMap<>();

	private final List<String> filteredParameters;

	/**
	 * Creates a registry that hides only each task's own masked arguments.
	 */
	public TaskRegistry() {
		this(List.of());
	}

	/**
	 * Creates a registry.
	 * @param filteredParameters names of argument properties hidden in the jobs of every
	 * task ({@code cluster.tasks.filtered-parameters}), besides each task's own
	 * {@link TaskDefinition#maskedArguments()}
	 */
	public TaskRegistry(List<String> filteredParameters) {
		this.filteredParameters = List.copyOf(filteredParameters);
	}

	/**
	 * Registers a task.
	 * @param task the task
	 * @throws IllegalStateException if another task has the name
	 */
	public void register(TaskDefinition task) {
		TaskDefinition previous = this.tasks.putIfAbsent(task.name(), task);
		if (previous != null) {
			throw new IllegalStateException("Two tasks are named '" + task.name() + "'");
		}
	}

	/**
	 * A task by name.
	 * @param name the name
	 * @return the task, or {@code null} if this node does not know it
	 */
	public @Nullable TaskDefinition get(String name) {
		return this.tasks.get(name);
	}

	/**
	 * Every task.
	 * @return the tasks
	 */
	public Collection<TaskDefinition> all() {
		return List.copyOf(this.tasks.values());
	}

	/**
	 * The names of the argument properties hidden in a task's jobs: the filtered
	 * parameters and the task's own masked arguments.
	 * @param task the task's name
	 * @return the names, or {@code null} if this node does not know the task, whose
	 * arguments must then be hidden whole
	 */
	public @Nullable List<String> maskedArguments(String task) {
		TaskDefinition definition = get(task);
		if (definition == null) {
			return null;
		}
		if (this.filteredParameters.isEmpty()) {
			return definition.maskedArguments();
		}
		List<String> masked = new ArrayList<>(this.filteredParameters);
		masked.addAll(definition.maskedArguments());
		return masked;
	}

	/**
	 * A job's arguments as they may show: with {@link #maskedArguments(String)} hidden,
	 * or hidden whole if this node does not know the task.
	 * @param task the task's name
	 * @param args the arguments as JSON, or {@code null}
	 * @return the arguments to show, or {@code null} if there were none
	 */
	public @Nullable String mask(String task, @Nullable String args) {
		return MaskedArguments.mask(args, maskedArguments(task));
	}

}
