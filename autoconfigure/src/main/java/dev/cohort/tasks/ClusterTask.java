package dev.cohort.tasks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean method a task that worker nodes run. The method takes at most one argument
 * object, mapped from the job's JSON arguments, and optionally a {@link JobContext}; what
 * it returns is ignored and what it throws fails the attempt.
 *
 * <pre class="code">
 * &#64;ClusterTask(name = "send-invoice", queue = "billing", retries = 3, backoff = "2s", backoffMultiplier = 2)
 * void sendInvoice(Invoice invoice, JobContext job) { ... }
 * </pre>
 *
 * Durations are written as {@code 500ms}, {@code 10s}, {@code 5m} or ISO-8601. Text
 * attributes may hold {@code ${...}} placeholders, resolved against the environment.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ClusterTask {

	/**
	 * The task's name, unique in the cluster, used to enqueue it.
	 * @return the name
	 */
	String name();

	/**
	 * The queue its jobs go to unless the enqueuer names another.
	 * @return the queue
	 */
	String queue() default TaskDefinition.DEFAULT_QUEUE;

	/**
	 * Makes the task recurring: it runs once per period of this length across the
	 * cluster, periods starting at multiples of it since the epoch. The first run, when
	 * the task never ran, is for the current period, as soon as a scheduler starts.
	 * Empty: not recurring by frequency.
	 * @return the period, such as {@code 1m}
	 */
	String frequency() default "";

	/**
	 * Makes the task recurring on a Spring cron expression (six fields, seconds first),
	 * read in {@link #zone()}. Empty: not recurring by cron. Supports placeholders.
	 * @return the cron expression
	 */
	String cron() default "";

	/**
	 * The time zone a {@link #cron()} is read in: a time zone id such as
	 * {@code Europe/Paris}, whose daylight saving time the periods follow: a fire time
	 * that a change skips does not run that day, and one that it repeats runs twice, once
	 * at each offset (as Spring's {@code CronExpression} reads it). Supports
	 * placeholders.
	 * @return the time zone id
	 */
	String zone() default "UTC";

	/**
	 * How many times a failed attempt is tried again before the job goes to the failed
	 * jobs.
	 * @return the number of retries
	 */
	int retries() default 0;

	/**
	 * The wait before the first retry.
	 * @return the wait
	 */
	String backoff() default "1s";

	/**
	 * What each further retry's wait is multiplied by: 1 for a fixed wait, 2 to double it
	 * each time.
	 * @return the multiplier
	 */
	double backoffMultiplier() default 1.0;

	/**
	 * How long an attempt may run before it is interrupted and fails. Empty: no limit.
	 * @return the timeout
	 */
	String timeout() default "";

	/**
	 * Whether two jobs of this task with the same arguments must never run at the same
	 * time; the second waits until the first ends.
	 * @return whether jobs take a job lock
	 */
	boolean jobLock() default false;

	/**
	 * Whether a job is not enqueued while an identical one (same task, arguments and
	 * queue) waits; the waiting job's id is returned instead.
	 * @return whether jobs are unique while waiting
	 */
	boolean unique() default false;

	/**
	 * Names of argument properties whose values are masked in failed jobs, such as
	 * {@code password}.
	 * @return the property names
	 */
	String[] maskedArguments() default {};

}
