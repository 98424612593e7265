package dev.cohort.tasks;

/**
 * Published on a worker node when one of its processors starts a run of a job, before the
 * task method is called. Like the other job events, it is published synchronously on a
 * thread of the worker: a listener that takes time delays the worker (use {@code @Async}
 * for slow work), and it carries no arguments, so that no secret reaches a listener by
 * way of it.
 *
 * @param jobId the job
 * @param task the task's name
 * @param queue the queue
 * @param attempt which run of the job this is, from 1
 * @param node the node that runs it
 */
public record JobStartedEvent(String jobId, String task, String queue, int attempt, String node) {

}
