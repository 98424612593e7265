package dev.cohort.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small web application that is a Cohort node. On its own (the default profile, with
 * {@code cluster.transport=local}) it is a solitary node that needs no Redis; with the
 * {@code redis} profile, every instance that shares a Redis and a server token joins one
 * cluster.
 * <ul>
 * <li>{@code GET /cluster}: this node and the live members</li>
 * <li>{@code POST /announcements}, {@code POST /announcements/{nodeId}}: publish an
 * announcement to every node or to one node</li>
 * <li>{@code GET /announcements}: what this node received</li>
 * <li>{@code GET /rpc/status}, {@code GET /rpc/status/{nodeId}}: call the
 * {@code node-status} RPC method on every node or on one node</li>
 * <li>{@code PUT/GET/DELETE /cache/notes/{key}}, {@code POST /cache/visits},
 * {@code GET /cache/quote}: notes, a counter and a {@code @Cacheable} result shared by
 * every node through the cluster cache</li>
 * <li>{@code POST /cache/report}: work that one node at a time does, under a cluster
 * lock</li>
 * <li>{@code POST /tasks/thumbnails}, {@code GET /tasks/thumbnails/{jobId}}: enqueue a
 * job that a worker node runs, and see its result</li>
 * <li>{@code GET /tasks}: the task queue's counts and the jobs running now</li>
 * <li>{@code GET /tasks/failed}, {@code POST /tasks/failed/{jobId}/retry}: the failed
 * jobs, and retrying one</li>
 * <li>{@code DELETE /tasks/jobs/{jobId}}: cancel a job</li>
 * <li>{@code GET /tasks/report}: the latest run of a recurring task</li>
 * </ul>
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
