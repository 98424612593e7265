package dev.cohort.autoconfigure;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code cluster.*} property appears in the generated configuration metadata with a
 * description, so IDEs can complete and explain it.
 */
class ConfigurationMetadataTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyIsDescribed() throws Exception {
		Map<String, Object> metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated metadata").isNotNull();
			metadata = JsonMapper.builder().build().readValue(in, Map.class);
		}
		List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("cluster.enabled", "cluster.transport", "cluster.role", "cluster.node-id", "cluster.namespace",
					"cluster.channel", "cluster.server-token", "cluster.previous-server-tokens",
					"cluster.heartbeat-interval", "cluster.node-timeout", "cluster.messages.max-age",
					"cluster.messages.max-size", "cluster.pubsub.receive-own-broadcasts",
					"cluster.pubsub.handler-threads", "cluster.pubsub.queue-capacity");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
	}

}
