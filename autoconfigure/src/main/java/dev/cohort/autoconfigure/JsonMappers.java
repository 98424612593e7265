package dev.cohort.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The mapper Cohort's beans map application values with: the application's own, or a
 * default one when Boot's Jackson auto-configuration is off.
 */
final class JsonMappers {

	private JsonMappers() {
	}

	static JsonMapper applicationOrDefault(ObjectProvider<JsonMapper> jsonMapper) {
		return jsonMapper.getIfAvailable(() -> JsonMapper.builder().build());
	}

}
