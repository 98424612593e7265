package dev.cohort.cache.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.cohort.cache.CacheStore;
import dev.cohort.cache.StoredEntry;
import dev.cohort.cluster.ClusterClock;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the cache's dump format: a header line, then one JSON line per value
 * or list with its elements as JSON text and the time it expires on the cluster's clock.
 * Writing the expiry rather than the time left means a dump restored later does not bring
 * back what would have expired meanwhile. A plain mapper of its own keeps the format
 * independent of how the application configured its {@code JsonMapper}.
 */
final class CacheDump {

	static final String FORMAT = "cohort-cache-dump";

	static final int VERSION = 1;

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final CacheStore store;

	private final ClusterClock clock;

	CacheDump(CacheStore store, ClusterClock clock) {
		this.store = store;
		this.clock = clock;
	}

	long write(OutputStream out) throws IOException {
		Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
		writeLine(writer, new Header(FORMAT, VERSION));
		long[] count = { 0 };
		try {
			this.store.scan("*", (keys) -> {
				for (String key : keys) {
					StoredEntry entry = this.store.export(key);
					if (entry != null) {
						writeLine(writer, toLine(entry));
						count[0]++;
					}
				}
			});
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		writer.flush();
		return count[0];
	}

	long read(InputStream in) throws IOException {
		BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
		Header header = parse(reader.readLine(), Header.class, 1);
		if (!FORMAT.equals(header.format()) || !Integer.valueOf(VERSION).equals(header.version())) {
			throw new IOException("Not a " + FORMAT + " version " + VERSION + ": the first line is " + header);
		}
		long restored = 0;
		int lineNumber = 1;
		for (String line = reader.readLine(); line != null; line = reader.readLine()) {
			lineNumber++;
			if (line.isBlank()) {
				continue;
			}
			StoredEntry entry = toEntry(parse(line, Line.class, lineNumber), lineNumber);
			if (entry != null) {
				this.store.replace(entry);
				restored++;
			}
		}
		return restored;
	}

	private Line toLine(StoredEntry entry) {
		Long expiresAt = (entry.ttlMillis() >= 0) ? this.clock.millis() + entry.ttlMillis() : null;
		return new Line(entry.key(), entry.list() ? "list" : "value", expiresAt, entry.elements());
	}

	private @Nullable StoredEntry toEntry(Line line, int lineNumber) throws IOException {
		if (line.key() == null || line.key().isEmpty() || line.elements() == null || line.elements().isEmpty()
				|| !("list".equals(line.type()) || ("value".equals(line.type()) && line.elements().size() == 1))) {
			throw new IOException("Line " + lineNumber + " of the dump is not a value or a list");
		}
		long ttl = CacheStore.PERSISTENT;
		if (line.expiresAt() != null) {
			ttl = line.expiresAt() - this.clock.millis();
			if (ttl <= 0) {
				return null;
			}
		}
		try {
			DefaultClusterCache.checkKey(line.key());
		}
		catch (IllegalArgumentException ex) {
			throw new IOException("Line " + lineNumber + " of the dump has an unusable key: " + ex.getMessage(), ex);
		}
		return new StoredEntry(line.key(), "list".equals(line.type()), line.elements(), ttl);
	}

	private void writeLine(Writer writer, Object line) {
		try {
			writer.write(this.mapper.writeValueAsString(line));
			writer.write('\n');
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private <T> T parse(@Nullable String line, Class<T> type, int lineNumber) throws IOException {
		if (line == null) {
			throw new IOException("The dump is empty: a " + FORMAT + " starts with a header line");
		}
		try {
			return this.mapper.readValue(line, type);
		}
		catch (JacksonException ex) {
			throw new IOException("Line " + lineNumber + " of the dump is not readable: " + ex.getOriginalMessage(),
					ex);
		}
	}

	record Header(@Nullable String format, @Nullable Integer version) {
	}

	record Line(String key, String type, @Nullable Long expiresAt, List<String> elements) {
	}

}
