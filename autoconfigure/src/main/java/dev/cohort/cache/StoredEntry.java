package dev.cohort.cache;

import java.util.List;

import org.springframework.util.Assert;

/**
 * A value or a list, whole, with its time to live: what {@link ClusterCache#dump} writes
 * and {@link ClusterCache#restore} reads.
 *
 * @param key the key
 * @param list whether it is a list (otherwise a value, the only element)
 * @param elements the value, or the list's elements in order (JSON text)
 * @param ttlMillis remaining time to live, or {@link CacheStore#PERSISTENT}
 */
public record StoredEntry(String key, boolean list, List<String> elements, long ttlMillis) {

	public StoredEntry {
		Assert.hasText(key, "'key' must not be empty");
		Assert.isTrue(list || elements.size() == 1, "A value has exactly one element");
		Assert.isTrue(!elements.isEmpty(), "A list in a dump has at least one element");
		elements = List.copyOf(elements);
	}

}
