package dev.cohort.tasks.internal;

import java.lang.reflect.Type;
import java.util.stream.Collectors;

import dev.cohort.tasks.TaskDefinition;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Checks a job's arguments when it is enqueued, on the node that enqueues it, so that a
 * bad argument fails the caller instead of a worker later (as {@code bad-arguments}):
 * they must read as the task's argument type, as the worker will read them, and pass the
 * application's {@link Validator} (with Bean Validation on the classpath, its
 * constraints). Jobs of a task this node does not define are not checked: it does not
 * know their type.
 */
final class EnqueueChecks {

	private final JsonMapper mapper;

	private final @Nullable Validator validator;

	EnqueueChecks(JsonMapper mapper, @Nullable Validator validator) {
		this.mapper = mapper;
		this.validator = validator;
	}

	/**
	 * Checks arguments.
	 * @param task the task's definition, or {@code null} if this node does not know it
	 * @param args the arguments as given
	 * @param json the arguments as JSON, as they will be stored
	 * @throws IllegalArgumentException if they do not read as the task's argument type,
	 * or the validator rejects them
	 */
	void check(@Nullable TaskDefinition task, @Nullable Object args, @Nullable String json) {
		Type type = (task != null) ? task.argumentType() : null;
		if (task == null || type == null || args == null || json == null) {
			return;
		}
		Object value = args;
		if (!(type instanceof Class<?> argumentClass && argumentClass.isInstance(args))) {
			// Given as another type (a map, say): read as the worker will read it.
			try {
				value = this.mapper.readValue(json, this.mapper.constructType(type));
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException(
						"The arguments of task '" + task.name() + "' do not map to " + type.getTypeName()
								+ ", its argument type, so nothing was enqueued: " + ex.getOriginalMessage(),
						ex);
			}
		}
		Validator validator = this.validator;
		if (validator != null && value != null && validator.supports(value.getClass())) {
			Errors errors = validator.validateObject(value);
			if (errors.hasErrors()) {
				// The messages and the fields, never the values: they may be secrets.
				throw new IllegalArgumentException("The arguments of task '" + task.name()
						+ "' are not valid, so nothing was enqueued: "
						+ errors.getAllErrors()
							.stream()
							.map((error) -> (error instanceof org.springframework.validation.FieldError field)
									? field.getField() + " " + field.getDefaultMessage() : error.getDefaultMessage())
							.collect(Collectors.joining("; ")));
			}
		}
	}

}
