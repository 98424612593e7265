package dev.cohort.test.redis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link RedisBackend}.
 */
class RedisBackendTests {

	@TempDir
	Path temp;

	@Test
	void findsTheBinaryOnThePath() throws IOException {
		Path binary = executable(this.temp.resolve("bin/redis-server"));
		String path = this.temp.resolve("empty") + ":" + binary.getParent();
		assertThat(RedisBackend.findBinary(null, null, path, List.of())).contains(binary);
	}

	@Test
	void prefersTheSystemPropertyThenTheEnvironmentVariable() throws IOException {
		Path onPath = executable(this.temp.resolve("bin/redis-server"));
		Path fromProperty = executable(this.temp.resolve("property/redis-server"));
		Path fromEnvironment = executable(this.temp.resolve("environment/redis-server"));
		String path = onPath.getParent().toString();
		assertThat(RedisBackend.findBinary(fromProperty.toString(), fromEnvironment.toString(), path, List.of()))
			.contains(fromProperty);
		assertThat(RedisBackend.findBinary(" ", fromEnvironment.toString(), path, List.of())).contains(fromEnvironment);
	}

	@Test
	void fallsBackToWellKnownLocations() throws IOException {
		Path wellKnown = executable(this.temp.resolve("usr/bin/redis-server"));
		assertThat(RedisBackend.findBinary(null, null, null,
				List.of(this.temp.resolve("missing/redis-server"), wellKnown)))
			.contains(wellKnown);
		assertThat(RedisBackend.findBinary(null, null, "", List.of(this.temp.resolve("missing/redis-server"))))
			.isEmpty();
	}

	@Test
	void rejectsAConfiguredBinaryThatIsNotExecutable() throws IOException {
		Path notExecutable = Files.createFile(this.temp.resolve("redis-server"));
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisBackend.findBinary(null, notExecutable.toString(), null, List.of()))
			.withMessageContaining("COHORT_REDIS_SERVER")
			.withMessageContaining(notExecutable.toString());
	}

	@Test
	void usesDockerOnlyWithoutBinary() {
		assertThat(RedisBackend.select(Optional.of(Path.of("/bin/redis-server")), () -> true, (binary) -> "binary",
				() -> "docker"))
			.isEqualTo("binary");
		assertThat(RedisBackend.select(Optional.empty(), () -> true, (binary) -> "binary", () -> "docker"))
			.isEqualTo("docker");
	}

	@Test
	void explainsWhatToInstallWithoutBinaryOrDocker() {
		assertThatIllegalStateException()
			.isThrownBy(() -> RedisBackend.select(Optional.empty(), () -> false, (binary) -> "binary", () -> "docker"))
			.withMessage("No redis-server found on PATH and no Docker available: install Redis (Debian/Ubuntu: "
					+ "apt-get install redis-server) or set COHORT_REDIS_SERVER to the redis-server binary, "
					+ "or start Docker");
	}

	private static Path executable(Path path) throws IOException {
		Files.createDirectories(path.getParent());
		Files.writeString(path, "#!/bin/sh\n");
		Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
		return path;
	}

}
