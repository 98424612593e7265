package dev.cohort.tasks.internal;

import java.util.List;

import dev.cohort.tasks.ClaimedJob;
import dev.cohort.tasks.TaskStore;
import org.jspecify.annotations.Nullable;

/**
 * Hands the processors of jobs that ended on to the next jobs, as BullMQ's worker does
 * when it finishes a job and fetches the next in one call: the store call that records
 * the ends of a batch also takes as many jobs, if the fetcher would take them from that
 * queue now, and they start on the processors the ended jobs held; the rest are freed.
 * Without it every end would free a processor, wake the fetcher, and cost a claim of its
 * own.
 */
interface ProcessorRelay {

	/**
	 * The claim to make with the ends of a queue's jobs, if any.
	 * @param queue the queue of the jobs that ended
	 * @param ended how many ended, each holding a processor
	 * @return the claim, or {@code null} to free their processors
	 */
	TaskStore.@Nullable ClaimRequest claimAfter(String queue, int ended);

	/**
	 * Starts the jobs taken with the ends, each on a processor an ended job held, and
	 * frees the others. Called on the thread that got the store's answer: it must not
	 * wait on the store.
	 * @param processors how many processors the ended jobs held
	 * @param taken the jobs taken, no more than the processors
	 * @param sentNanos when the call that took them was sent, on
	 * {@link System#nanoTime()}: their leases count from then
	 */
	void handOn(int processors, List<ClaimedJob> taken, long sentNanos);

}
