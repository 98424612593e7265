package dev.cohort.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one scenario of the shared anchors ({@code run.sh}, which runs it against a
 * {@code redis-server} of its own): {@code bullmq} ({@code bullmq/bench.mjs}), so that
 * Cohort's task queue is set beside BullMQ's of the same minutes, or
 * {@code redisson-rpc}, so that Cohort's RPC is set beside Redisson's
 * {@code RRemoteService}; and reads its figures.
 * <p>
 * The anchors are looked for at {@code -Dbenchmark.anchors}, else
 * {@code ../shared/anchors} from the working directory, else
 * {@code /work/shared/anchors}. One work folder serves every run of this JVM, so that
 * only the first run builds and installs.
 */
final class SharedAnchor implements AutoCloseable {

	/** BullMQ on Node: the peer of the task queue. */
	static final String BULLMQ = "bullmq";

	/** Redisson's {@code RRemoteService}: the JVM peer of RPC. */
	static final String REDISSON_RPC = "redisson-rpc";

	private static final long TIMEOUT_MINUTES = 5;

	private final String scenario;

	private final Path runSh;

	private final Path work;

	private SharedAnchor(String scenario, Path runSh, Path work) {
		this.scenario = scenario;
		this.runSh = runSh;
		this.work = work;
	}

	/**
	 * Finds the anchors and {@code node} (which run.sh needs for any scenario).
	 * @param scenario the scenario to run
	 * @return the anchor, or why it cannot run
	 */
	static Found find(String scenario) {
		if (!onPath("node")) {
			return new Found(null, "node is not on PATH");
		}
		String property = System.getProperty("benchmark.anchors", "");
		List<Path> candidates = property.isBlank()
				? List.of(Path.of("../shared/anchors"), Path.of("/work/shared/anchors")) : List.of(Path.of(property));
		for (Path candidate : candidates) {
			Path runSh = candidate.resolve("run.sh").toAbsolutePath().normalize();
			if (Files.isRegularFile(runSh)) {
				try {
					Path work = Files.createTempDirectory("cohort-" + scenario + "-anchor-");
					return new Found(new SharedAnchor(scenario, runSh, work), null);
				}
				catch (IOException ex) {
					return new Found(null, "no work folder: " + ex);
				}
			}
		}
		return new Found(null, "no run.sh in " + candidates);
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String folder : path.split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(folder, command))) {
				return true;
			}
		}
		return false;
	}

	Path runSh() {
		return this.runSh;
	}

	/**
	 * Runs the anchor once, its output going to standard error line by line so that a
	 * hang shows.
	 * @return the scenario's figures, by its metric names
	 * @throws IllegalStateException if it failed or timed out
	 */
	Map<String, Double> run() throws IOException, InterruptedException {
		Path tsv = this.work.resolve("out").resolve("run1.tsv");
		Files.deleteIfExists(tsv);
		ProcessBuilder builder = new ProcessBuilder("bash", this.runSh.toString()).redirectErrorStream(true);
		builder.environment().put("RUNS", "1");
		builder.environment().put("SCENARIOS", this.scenario);
		builder.environment().put("WORK", this.work.toString());
		Process process = builder.start();
		Thread echo = new Thread(() -> echo(process, this.scenario), this.scenario + "-anchor-output");
		echo.setDaemon(true);
		echo.start();
		if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
			stop(process);
			throw new IllegalStateException("run.sh did not finish within " + TIMEOUT_MINUTES + " min");
		}
		echo.join(TimeUnit.SECONDS.toMillis(5));
		if (process.exitValue() != 0) {
			throw new IllegalStateException("run.sh exited with " + process.exitValue());
		}
		return parse(tsv, this.scenario);
	}

	private static void echo(Process process, String scenario) {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				System.err.println("  [" + scenario + " anchor] " + line);
			}
		}
		catch (IOException ex) {
			System.err.println("  [" + scenario + " anchor] output lost: " + ex);
		}
	}

	/**
	 * Stops run.sh and what it started. SIGTERM first, so that its trap stops its
	 * {@code redis-server}, which daemonised and is no descendant any more.
	 */
	private static void stop(Process process) throws InterruptedException {
		List<ProcessHandle> descendants = process.descendants().toList();
		descendants.forEach(ProcessHandle::destroy);
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			descendants.forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly();
		}
	}

	/**
	 * Reads the {@code scenario<TAB>metric<TAB>value} lines run.sh appends to
	 * {@code out/run1.tsv} (the {@code RESULT} prefix of bench.mjs' own lines cut off).
	 */
	static Map<String, Double> parse(Path tsv, String scenario) throws IOException {
		if (!Files.isRegularFile(tsv)) {
			throw new IllegalStateException("run.sh wrote no " + tsv);
		}
		Map<String, Double> figures = new LinkedHashMap<>();
		for (String line : Files.readAllLines(tsv)) {
			String[] fields = line.split("\t");
			if (fields.length < 3 || !fields[0].equals(scenario)) {
				continue;
			}
			if (fields[1].startsWith("FAILED")) {
				throw new IllegalStateException(scenario + " " + fields[1]);
			}
			try {
				figures.put(fields[1], Double.parseDouble(fields[2]));
			}
			catch (NumberFormatException ex) {
				// Not a figure: nothing to compare
			}
		}
		if (figures.isEmpty()) {
			throw new IllegalStateException("no " + scenario + " figures in " + tsv);
		}
		return figures;
	}

	/**
	 * Deletes the work folder (its build, node_modules and logs).
	 */
	@Override
	public void close() throws IOException {
		try (Stream<Path> paths = Files.walk(this.work)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	/**
	 * The anchor if it can run, else why not.
	 */
	record Found(SharedAnchor anchor, String whyNot) {
	}

}
