package dev.cohort.test.redis;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Decides what runs Redis: a local {@code redis-server} binary if there is one, else a
 * Docker container (standalone servers only).
 */
final class RedisBackend {

	/**
	 * System property naming the {@code redis-server} binary to use.
	 */
	static final String BINARY_PROPERTY = "cohort.redis-server";

	/**
	 * Environment variable naming the {@code redis-server} binary to use.
	 */
	static final String BINARY_ENVIRONMENT_VARIABLE = "COHORT_REDIS_SERVER";

	static final String NOTHING_AVAILABLE = "No redis-server found on PATH and no Docker available: "
			+ "install Redis (Debian/Ubuntu: apt-get install redis-server) or set " + BINARY_ENVIRONMENT_VARIABLE
			+ " to the redis-server binary, or start Docker";

	private static final String BINARY_NAME = "redis-server";

	private static final List<Path> WELL_KNOWN_LOCATIONS = List.of(Path.of("/usr/bin", BINARY_NAME),
			Path.of("/usr/local/bin", BINARY_NAME));

	private static volatile Optional<Path> binary;

	private RedisBackend() {
	}

	/**
	 * Start a standalone Redis with the local binary, or in Docker if there is no binary.
	 * @param extraArgs additional configuration arguments
	 * @return the started instance
	 * @throws IllegalStateException if there is neither a binary nor Docker
	 */
	static RedisInstance startStandalone(List<String> extraArgs) {
		return select(binary(), RedisBackend::isDockerAvailable,
				(path) -> RedisProcess.start(path, "standalone", RedisProcess.standalone(extraArgs)),
				() -> RedisContainerInstance.start(extraArgs));
	}

	static <T> T select(Optional<Path> binary, BooleanSupplier dockerAvailable, Function<Path, T> withBinary,
			Supplier<T> withDocker) {
		if (binary.isPresent()) {
			return withBinary.apply(binary.get());
		}
		if (dockerAvailable.getAsBoolean()) {
			return withDocker.get();
		}
		throw new IllegalStateException(NOTHING_AVAILABLE);
	}

	/**
	 * The local {@code redis-server} binary, for set-ups that cannot run in a single
	 * container.
	 * @param what what needs the binary, for the error message
	 * @return the binary
	 * @throws IllegalStateException if there is none
	 */
	static Path requireBinary(String what) {
		return binary().orElseThrow(() -> new IllegalStateException(what
				+ " needs a local redis-server binary (Docker is only used for standalone servers) and none was found"
				+ " on PATH, in /usr/bin or in /usr/local/bin: install Redis (Debian/Ubuntu: apt-get install"
				+ " redis-server) or set " + BINARY_ENVIRONMENT_VARIABLE + " to the redis-server binary"));
	}

	static Optional<Path> binary() {
		Optional<Path> found = binary;
		if (found == null) {
			found = findBinary(System.getProperty(BINARY_PROPERTY), System.getenv(BINARY_ENVIRONMENT_VARIABLE),
					System.getenv("PATH"), WELL_KNOWN_LOCATIONS);
			binary = found;
		}
		return found;
	}

	/**
	 * Find the {@code redis-server} binary.
	 * @param property the value of the {@value #BINARY_PROPERTY} system property or
	 * {@code null}
	 * @param environment the value of the {@value #BINARY_ENVIRONMENT_VARIABLE}
	 * environment variable or {@code null}
	 * @param path the value of {@code PATH} or {@code null}
	 * @param wellKnownLocations where to look last
	 * @return the binary, if found
	 * @throws IllegalStateException if the property or environment variable names
	 * something that is not executable
	 */
	static Optional<Path> findBinary(String property, String environment, String path, List<Path> wellKnownLocations) {
		if (hasText(property)) {
			return Optional.of(configuredBinary("System property " + BINARY_PROPERTY, property, path));
		}
		if (hasText(environment)) {
			return Optional
				.of(configuredBinary("Environment variable " + BINARY_ENVIRONMENT_VARIABLE, environment, path));
		}
		return searchPath(BINARY_NAME, path)
			.or(() -> wellKnownLocations.stream().filter(RedisBackend::isExecutable).findFirst());
	}

	private static Path configuredBinary(String source, String value, String path) {
		Path configured = Path.of(value.trim());
		if (isExecutable(configured)) {
			return configured;
		}
		if (configured.getNameCount() == 1 && !configured.isAbsolute()) {
			Optional<Path> onPath = searchPath(configured.toString(), path);
			if (onPath.isPresent()) {
				return onPath.get();
			}
		}
		throw new IllegalStateException(
				source + " names '" + value + "', which is not an executable file: point it to a redis-server binary");
	}

	private static Optional<Path> searchPath(String name, String path) {
		if (!hasText(path)) {
			return Optional.empty();
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, name);
				if (isExecutable(candidate)) {
					return Optional.of(candidate);
				}
			}
		}
		return Optional.empty();
	}

	private static boolean isExecutable(Path path) {
		return Files.isRegularFile(path) && Files.isExecutable(path);
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	/**
	 * Whether Docker can be used. Testcontainers classes are only touched when it is on
	 * the class path.
	 * @return {@code true} if Docker is available
	 */
	static boolean isDockerAvailable() {
		try {
			Class.forName("org.testcontainers.DockerClientFactory", false, RedisBackend.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
		return RedisContainerInstance.isDockerAvailable();
	}

}
