package dev.cohort.sample.cluster;

import dev.cohort.cluster.ClusterNodes;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows this node and the live members of its cluster.
 */
@RestController
class ClusterController {

	private final ClusterNodes clusterNodes;

	ClusterController(ClusterNodes clusterNodes) {
		this.clusterNodes = clusterNodes;
	}

	@GetMapping("/cluster")
	ClusterView cluster() {
		return new ClusterView(NodeView.of(this.clusterNodes.self()),
				this.clusterNodes.members().stream().map(NodeView::of).toList());
	}

}
