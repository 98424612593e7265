package dev.cohort.connections.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of the WebSocket protocol and of room events between nodes, read and written
 * with a plain mapper of Cohort's own. What anonymous clients send never goes through the
 * application's mapper: that one may have default typing on, or modules that build
 * classes named in the input, and a client must not choose what a node builds.
 */
final class ClientJson {

	/** No default typing, no modules: JSON in, JSON trees and plain Java out. */
	static final JsonMapper MAPPER = JsonMapper.builder().build();

	private ClientJson() {
	}

	/**
	 * The JSON as plain Java that cannot be changed: unmodifiable maps and lists,
	 * strings, numbers, booleans and {@code null}. One such value can be shared by every
	 * middleware call of a message, and a result that is the very same value shows that
	 * the message was not changed.
	 * @param json the JSON
	 * @return the value
	 */
	static @Nullable Object readOnly(@Nullable JsonNode json) {
		if (json == null || json.isNull() || json.isMissingNode()) {
			return null;
		}
		if (json.isObject()) {
			Map<String, @Nullable Object> map = new LinkedHashMap<>();
			json.properties().forEach((property) -> map.put(property.getKey(), readOnly(property.getValue())));
			return Collections.unmodifiableMap(map);
		}
		if (json.isArray()) {
			List<@Nullable Object> list = new ArrayList<>(json.size());
			json.values().forEach((element) -> list.add(readOnly(element)));
			return Collections.unmodifiableList(list);
		}
		if (json.isString()) {
			return json.stringValue();
		}
		if (json.isBoolean()) {
			return json.booleanValue();
		}
		if (json.isNumber()) {
			return json.numberValue();
		}
		return MAPPER.treeToValue(json, Object.class);
	}

}
