package dev.cohort.internal.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Cohort's Lua scripts, and the reading of their replies, in one place for every Redis
 * store.
 * <p>
 * A folder's scripts are read from the class path once and handed to Spring Data Redis as
 * text. A script made from a resource instead is checked for a change of its file, under
 * a lock, every time it runs, which costs every call of a hot script.
 * <p>
 * Spring Data answers {@code null} for a script run in a pipeline or a transaction, which
 * Cohort never does; the reply readers still handle {@code null} explicitly, so that a
 * missing reply is a clear error (or a documented default), never an unboxing
 * {@link NullPointerException}.
 */
public final class RedisScripts {

	private final String folder;

	private final @Nullable String shared;

	private RedisScripts(String folder, @Nullable String shared) {
		this.folder = folder;
		this.shared = shared;
	}

	/**
	 * The scripts of a folder.
	 * @param folder the folder on the class path, such as {@code dev/cohort/cache/redis}
	 * @return the folder's scripts
	 */
	public static RedisScripts in(String folder) {
		return new RedisScripts(folder, null);
	}

	/**
	 * The scripts of a folder that use the functions one file of the folder defines for
	 * all of them: that file's text comes before each script's.
	 * @param folder the folder on the class path
	 * @param shared the file name of the shared functions, such as {@code common.lua}
	 * @return the folder's scripts
	 */
	public static RedisScripts in(String folder, String shared) {
		return new RedisScripts(folder, shared);
	}

	/**
	 * A script of this folder.
	 * @param <T> what it returns
	 * @param name its file name
	 * @param type what it returns
	 * @return the script
	 */
	public <T> RedisScript<T> script(String name, Class<T> type) {
		String text = (this.shared != null) ? text(this.shared) + "\n" + text(name) : text(name);
		return RedisScript.of(text, type);
	}

	private String text(String name) {
		try {
			return new ClassPathResource(this.folder + "/" + name).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the Lua script " + this.folder + "/" + name, ex);
		}
	}

	/**
	 * A script's reply that must be there.
	 * @param <T> the reply's type
	 * @param reply the reply
	 * @return the reply
	 * @throws IllegalStateException if there is none
	 */
	public static <T> T required(@Nullable T reply) {
		if (reply == null) {
			throw new IllegalStateException(
					"A Cohort Lua script answered nothing (was it run in a pipeline or a " + "transaction?)");
		}
		return reply;
	}

	/**
	 * A number in a script's reply: Redis answers integers as {@code Long}, and a number
	 * a script read from a key as text.
	 * @param reply the element of the reply
	 * @return the number
	 * @throws IllegalStateException if there is none
	 * @throws NumberFormatException if it is text that is not a number
	 */
	public static long number(@Nullable Object reply) {
		Object number = required(reply);
		return (number instanceof Number value) ? value.longValue() : Long.parseLong(number.toString());
	}

	/**
	 * Whether a script answered 1 (done, yes). No reply is not 1.
	 * @param reply the reply
	 * @return whether it is 1
	 */
	public static boolean isOne(@Nullable Long reply) {
		return reply != null && reply == 1;
	}

	/**
	 * A count a script answered, 0 if none.
	 * @param reply the reply
	 * @return the count
	 */
	public static long count(@Nullable Long reply) {
		return (reply != null) ? reply : 0;
	}

	/**
	 * A list a script answered, empty if none.
	 * @param reply the reply
	 * @return the list
	 */
	public static List<?> list(@Nullable List<?> reply) {
		return (reply != null) ? reply : List.of();
	}

	/**
	 * A list in a script's reply, as text.
	 * @param reply the element of the reply, a list (or none: empty)
	 * @return its elements as text
	 */
	public static List<String> strings(@Nullable Object reply) {
		if (reply == null) {
			return List.of();
		}
		return ((List<?>) reply).stream().map(String::valueOf).toList();
	}

	/**
	 * A flat list of names and values in a script's reply (what {@code HGETALL} answers),
	 * as a map in the list's order.
	 * @param reply the element of the reply, a list (or none: empty)
	 * @return the names and values
	 */
	public static Map<String, String> pairs(@Nullable Object reply) {
		List<String> flat = strings(reply);
		Map<String, String> pairs = new LinkedHashMap<>();
		for (int i = 0; i + 1 < flat.size(); i += 2) {
			pairs.put(flat.get(i), flat.get(i + 1));
		}
		return pairs;
	}

}
