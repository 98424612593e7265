package dev.cohort.sample.tasks;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import dev.cohort.cache.ClusterCache;
import dev.cohort.cluster.ClusterNodes;
import dev.cohort.cluster.NodeInfo;
import dev.cohort.tasks.ClusterTasks;
import dev.cohort.tasks.JobRequest;
import dev.cohort.tasks.QueueStats;
import dev.cohort.tasks.TaskRefusedException;

import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Enqueues jobs and shows the task queue through {@link ClusterTasks}. Every node serves
 * these endpoints, whatever its role: a {@code server} node enqueues jobs that the
 * {@code worker} nodes run, and sees the same queues they do.
 */
@RestController
@RequestMapping("/tasks")
class TaskController {

	/** A job id: a queue's name, a colon, and a part that makes it unique. */
	private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]+:[^:\\s]+");

	private final ClusterTasks tasks;

	private final ClusterCache cache;

	private final ClusterNodes clusterNodes;

	private final Environment environment;

	TaskController(ClusterTasks tasks, ClusterCache cache, ClusterNodes clusterNodes, Environment environment) {
		this.tasks = tasks;
		this.cache = cache;
		this.clusterNodes = clusterNodes;
		this.environment = environment;
	}

	/**
	 * Enqueues a {@code make-thumbnail} job, which a worker runs as soon as one is free.
	 * The task's queue ({@value ThumbnailTasks#QUEUE}) comes from its
	 * {@code @ClusterTask}, which this node knows even if it runs no jobs.
	 * @param request the thumbnail, {@code {"image": "cat.png"}}
	 * @return {@code 202} with the job id, and where the thumbnail will be
	 */
	@PostMapping("/thumbnails")
	ResponseEntity<Enqueued> makeThumbnail(@RequestBody ThumbnailRequest request) {
		String jobId = this.tasks.enqueue(ThumbnailTasks.MAKE_THUMBNAIL, request.toJob());
		return ResponseEntity.accepted()
			.location(URI.create("/tasks/thumbnails/" + jobId))
			.body(new Enqueued(jobId, queueOf(jobId), this.clusterNodes.self().id()));
	}

	/**
	 * Enqueues one {@code make-thumbnail} job for each image, at the default width, with
	 * one {@link ClusterTasks#enqueueAll(List)} call: one step in the store for the whole
	 * batch, as they all go to the queue {@value ThumbnailTasks#QUEUE}.
	 * @param request the images, {@code {"images": ["a.png", "b.png"]}}: from 1 to
	 * {@value ThumbnailBatchRequest#MAX_IMAGES}
	 * @return {@code 202} with the job ids, in the images' order
	 */
	@PostMapping("/thumbnails/batch")
	ResponseEntity<EnqueuedBatch> makeThumbnails(@RequestBody ThumbnailBatchRequest request) {
		List<JobRequest> jobs = request.toJobs()
			.stream()
			.map((job) -> JobRequest.of(ThumbnailTasks.MAKE_THUMBNAIL, job))
			.toList();
		List<String> jobIds = this.tasks.enqueueAll(jobs);
		return ResponseEntity.accepted()
			.body(new EnqueuedBatch(jobIds, queueOf(jobIds.get(0)), this.clusterNodes.self().id()));
	}

	/**
	 * The thumbnail a job made, whichever node ran it.
	 * @param jobId the job
	 * @return the thumbnail, or {@code 404} if the job has not made it (yet)
	 */
	@GetMapping("/thumbnails/{jobId}")
	Thumbnail thumbnail(@PathVariable String jobId) {
		return this.cache.load(ThumbnailTasks.RESULT_PREFIX + checkJobId(jobId), Thumbnail.class)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "Job '" + jobId
					+ "' has made no thumbnail (yet); GET /tasks shows what runs, GET /tasks/failed what failed"));
	}

	/**
	 * The counts of every queue and the jobs running now, on every node.
	 * @return the queues
	 */
	@GetMapping
	TasksView overview() {
		NodeInfo self = this.clusterNodes.self();
		return new TasksView(self.id(), self.role().runsTasks(), this.tasks.stats(), this.tasks.workingOn());
	}

	/**
	 * The failed jobs of every queue, oldest first.
	 * @return the jobs
	 */
	@GetMapping("/failed")
	List<FailedJobView> failed() {
		return this.tasks.stats()
			.stream()
			.map(QueueStats::queue)
			.flatMap((queue) -> this.tasks.failed(queue).stream())
			.map(FailedJobView::of)
			.sorted(Comparator.comparing(FailedJobView::failedAt))
			.toList();
	}

	/**
	 * Puts a failed job back at the end of its queue, its attempts counted afresh.
	 * @param jobId the job
	 * @return {@code 202}, or {@code 404} if the job is not among the failed jobs
	 */
	@PostMapping("/failed/{jobId}/retry")
	ResponseEntity<Enqueued> retry(@PathVariable String jobId) {
		if (!this.tasks.retryFailed(checkJobId(jobId))) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"Job '" + jobId + "' is not among the failed jobs; GET /tasks/failed lists them");
		}
		return ResponseEntity.accepted().body(new Enqueued(jobId, queueOf(jobId), this.clusterNodes.self().id()));
	}

	/**
	 * Cancels a job: a waiting or delayed job is removed, a running one is interrupted on
	 * the node that runs it and joins the failed jobs with reason {@code cancelled}. (A
	 * failed job is removed.)
	 * @param jobId the job
	 * @return {@code 204}, or {@code 404} if there is no such job
	 */
	@DeleteMapping("/jobs/{jobId}")
	ResponseEntity<Void> cancel(@PathVariable String jobId) {
		if (!this.tasks.cancel(checkJobId(jobId))) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no job '" + jobId + "'");
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * The latest run of the recurring {@code heartbeat-report} task, whichever worker ran
	 * it.
	 * @return the report, or {@code 404} if none ran yet
	 */
	@GetMapping("/report")
	HeartbeatReport report() {
		return this.cache.load(HeartbeatReporter.LAST_REPORT, HeartbeatReport.class)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
					"No heartbeat report ran yet: a worker node runs one every "
							+ this.environment.getProperty("sample.report-frequency", "30s")));
	}

	private static String checkJobId(String jobId) {
		if (!JOB_ID.matcher(jobId).matches()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"'" + jobId + "' is not a job id, such as images:0b7c...; POST /tasks/thumbnails answers one");
		}
		return jobId;
	}

	private static String queueOf(String jobId) {
		return jobId.substring(0, jobId.lastIndexOf(':'));
	}

	/**
	 * A {@link ThumbnailMiddleware} refused the job before it was enqueued: {@code 422},
	 * with the reason.
	 * @param ex the refusal
	 * @return the problem
	 */
	@ExceptionHandler(TaskRefusedException.class)
	ProblemDetail refused(TaskRefusedException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(422), ex.getMessage());
	}

}
