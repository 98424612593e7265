package dev.cohort.tasks;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The tasks this node knows, by name: the ones it can run, and whose queue it uses when
 * enqueueing them.
 */
public class TaskRegistry {

	private final Map<String, TaskDefinition> tasks = new ConcurrentHashMap<>();

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

}
