package dev.cohort.testapp;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.cohort.tasks.ClusterTask;
import dev.cohort.tasks.JobContext;
import dev.cohort.tasks.JobRequest;
import dev.cohort.tasks.TaskMiddleware;
import dev.cohort.tasks.TaskRefusedException;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Two task middleware beans, {@code first} and {@code second} in their order, for the
 * tasks whose name starts with {@code mw-} only, and those tasks. Each hook is logged as
 * {@code <middleware>:<hook>}. At enqueue, a greeting {@code refuse} is refused and
 * {@code shout} is changed to upper case; at run time, {@code deny} is refused and
 * {@code skip} is skipped. {@code first} wraps every run, which the task sees.
 */
public class TaskMiddlewareLog {

	public final Queue<String> hooks = new ConcurrentLinkedQueue<>();

	public final Queue<String> runs = new ConcurrentLinkedQueue<>();

	private final ThreadLocal<Boolean> wrapped = ThreadLocal.withInitial(() -> false);

	@Bean
	@Order(2)
	TaskMiddleware second() {
		return new Logging("second");
	}

	@Bean
	@Order(1)
	TaskMiddleware first() {
		return new Logging("first") {

			@Override
			public JobRequest beforeEnqueue(JobRequest request) {
				super.beforeEnqueue(request);
				if (request.getArgs() instanceof Greeting greeting) {
					if (greeting.text().equals("refuse")) {
						throw new TaskRefusedException("Greetings 'refuse' are refused");
					}
					if (greeting.text().equals("shout")) {
						return request.args(new Greeting("SHOUT", greeting.number()));
					}
				}
				return request;
			}

			@Override
			public void beforeRun(JobContext job, @Nullable Object arguments) {
				super.beforeRun(job, arguments);
				if (arguments instanceof Greeting greeting && greeting.text().equals("deny")) {
					throw new TaskRefusedException("Greetings 'deny' do not run");
				}
				if (arguments instanceof Greeting greeting && greeting.text().equals("skip")) {
					throw TaskRefusedException.skip("Greetings 'skip' are skipped");
				}
			}

			@Override
			public void aroundRun(JobContext job, @Nullable Object arguments, Run run) throws Exception {
				TaskMiddlewareLog.this.wrapped.set(true);
				try {
					super.aroundRun(job, arguments, run);
				}
				finally {
					TaskMiddlewareLog.this.wrapped.remove();
				}
			}

		};
	}

	/**
	 * Records its greeting's text and whether the run was wrapped.
	 * @param greeting the greeting
	 */
	@ClusterTask(name = "mw-greet", retries = 2, backoff = "10ms")
	void greet(Greeting greeting) {
		this.runs.add(greeting.text() + (this.wrapped.get() ? " (wrapped)" : ""));
	}

	/**
	 * Fails, without retries.
	 * @param greeting the greeting
	 */
	@ClusterTask(name = "mw-fails")
	void fails(Greeting greeting) {
		throw new IllegalStateException("mw-fails fails");
	}

	private class Logging implements TaskMiddleware {

		private final String name;

		Logging(String name) {
			this.name = name;
		}

		@Override
		public boolean appliesTo(String task) {
			return task.startsWith("mw-");
		}

		@Override
		public JobRequest beforeEnqueue(JobRequest request) {
			log("beforeEnqueue");
			return request;
		}

		@Override
		public void afterEnqueue(JobRequest request, String jobId) {
			log("afterEnqueue");
		}

		@Override
		public void beforeRun(JobContext job, @Nullable Object arguments) {
			log("beforeRun");
		}

		@Override
		public void aroundRun(JobContext job, @Nullable Object arguments, Run run) throws Exception {
			log("aroundRun");
			run.proceed();
		}

		@Override
		public void afterRun(JobContext job, @Nullable Object arguments, @Nullable Throwable failure) {
			log("afterRun" + ((failure != null) ? " " + failure.getMessage() : ""));
		}

		private void log(String hook) {
			TaskMiddlewareLog.this.hooks.add(this.name + ":" + hook);
		}

	}

}
