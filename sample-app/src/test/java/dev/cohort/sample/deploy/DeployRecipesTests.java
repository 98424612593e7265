package dev.cohort.sample.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.cohort.autoconfigure.ClusterProperties;
import dev.cohort.cluster.NodeRole;
import dev.cohort.sample.SampleApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deployment recipes in deploy/, read as files and held against the sample
 * application: what each one sets is bound the way the application binds it (its
 * application*.yml, the profiles the recipe activates, the recipe's environment and
 * command line), and the grace periods, roles, probe paths and token sources must fit
 * what the application then does. There is no Docker or Kubernetes here: the Compose file
 * and the manifests are only parsed; the systemd unit is also checked by
 * {@code systemd-analyze verify} where that exists, and run by
 * {@link SystemdRollingRestartTests}.
 */
class DeployRecipesTests {

	/** What the nodes need on top of the graceful stop itself: leaving, RPC, the bus. */
	private static final Duration LEAVING = Duration.ofSeconds(10);

	/** What the worker gives the jobs it interrupted to be handed back. */
	private static final Duration HAND_BACK = Duration.ofSeconds(5);

	private static final String TEST_TOKEN = "deploy-recipes-tests-token-0123456789abcdef";

	private static final Pattern CONFIG_TREE = Pattern.compile("configtree:(.+)");

	static final Path DEPLOY = locateDeploy();

	private static ConfigurableApplicationContext sample;

	private static RestClient http;

	@TempDir
	Path temp;

	@BeforeAll
	static void startSample() {
		// The sample as it starts by default (local transport): only to ask the probe
		// paths that the recipes name.
		sample = new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0");
		int port = ((WebServerApplicationContext) sample).getWebServer().getPort();
		http = RestClient.create("http://127.0.0.1:" + port);
	}

	@AfterAll
	static void stopSample() {
		if (sample != null) {
			sample.close();
		}
	}

	// systemd

	@Test
	void systemdUnitGivesEachInstanceItsPortARoleAndTheTokenFromACredential() throws IOException {
		SystemdUnit unit = SystemdUnit.read(DEPLOY.resolve("systemd/cohort@.service"));
		Map<String, String> environment = unit.environment("8082",
				(file) -> DEPLOY.resolve("systemd").resolve(Path.of(file).getFileName()));
		assertThat(environment).containsEntry("SERVER_PORT", "8082");
		assertThat(unit.all("Service.LoadCredential")).containsExactly("cluster.server-token:/etc/cohort/server-token");
		Path credentials = credentials();
		environment.put("CREDENTIALS_DIRECTORY", credentials.toString());
		List<String> command = unit.execStart("8082", environment);
		assertThat(command).startsWith("/usr/bin/java")
			.contains("-Xmx512m")
			.containsSubsequence("-jar", "/opt/cohort/app.jar");
		List<String> arguments = command.subList(command.indexOf("/opt/cohort/app.jar") + 1, command.size());
		assertThat(arguments).contains("--spring.config.import=optional:configtree:" + credentials + "/");

		Node node = Node.bind(environment, arguments);
		assertThat(node.port()).isEqualTo(8082);
		assertThat(node.role()).as("one role per host, from cohort.env").isEqualTo(NodeRole.WORKER);
		assertThat(node.serverToken()).as("the token, from the credential").isEqualTo(TEST_TOKEN);
		assertNoTokenIn(environment);

		assertThat(unit.get("Service.KillSignal")).isEqualTo("SIGTERM");
		assertThat(unit.get("Service.SuccessExitStatus")).contains("143");
		assertThat(unit.get("Service.Restart")).isEqualTo("on-failure");
		assertThat(unit.get("Service.Type")).isEqualTo("exec");
		Duration timeoutStop = DurationStyle.detectAndParse(unit.get("Service.TimeoutStopSec"), ChronoUnit.SECONDS);
		assertThat(timeoutStop).isGreaterThan(node.stopTime());
	}

	@Test
	void systemdAnalyzeVerifiesTheUnit() throws Exception {
		Path analyze = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze")
			.map(Path::of)
			.filter(Files::isExecutable)
			.findFirst()
			.orElse(null);
		assumeTrue(analyze != null, "systemd-analyze is not installed: the unit is not verified by systemd here");
		String text = Files.readString(DEPLOY.resolve("systemd/cohort@.service"));
		if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
			// verify checks that ExecStart's binary exists; here java is elsewhere.
			text = text.replace("/usr/bin/java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
		}
		Path instance = this.temp.resolve("cohort@8081.service");
		Files.writeString(instance, text);
		Process process = new ProcessBuilder(analyze.toString(), "verify", instance.toString())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		// verify reports settings it cannot parse as warnings, with exit status 0.
		assertThat(output).doesNotContainIgnoringCase("ignoring").doesNotContainIgnoringCase("unknown");
	}

	@Test
	void rollingRestartScriptPollsAReadinessPathThatExists() throws IOException {
		String script = Files.readString(DEPLOY.resolve("systemd/rolling-restart.sh"));
		Matcher url = Pattern.compile("COHORT_READY_URL:-http://127\\.0\\.0\\.1:%i(/[^}\"]+)}").matcher(script);
		assertThat(url.find()).as("the default readiness URL").isTrue();
		assertThat(url.group(1)).isEqualTo("/actuator/health/readiness");
		assertAnswers(url.group(1));
		assertThat(script).contains("systemctl restart cohort@%i.service");
	}

	// Docker Compose

	@Test
	void composeRunsRedisWithItsAppendOnlyFileAServerAndTwoWorkers() throws IOException {
		Map<String, Object> compose = yaml(DEPLOY.resolve("compose/compose.yaml"));
		Map<String, Object> services = map(compose.get("services"));
		assertThat(services).containsOnlyKeys("redis", "server", "worker");

		Map<String, Object> redis = map(services.get("redis"));
		assertThat(String.join(" ", strings(redis.get("command")))).contains("--appendonly yes");
		assertThat(strings(redis.get("volumes"))).anySatisfy((volume) -> assertThat(volume).endsWith(":/data"));
		assertThat(map(compose.get("volumes"))).containsKey("redis-data");

		Map<String, Object> secrets = map(compose.get("secrets"));
		for (String name : List.of("server", "worker")) {
			Map<String, Object> service = map(services.get(name));
			Map<String, Object> build = map(service.get("build"));
			Path dockerfile = DEPLOY.resolve("compose")
				.resolve(build.get("context").toString())
				.resolve(build.get("dockerfile").toString())
				.normalize();
			assertThat(dockerfile).exists();
			assertThat(service.get("stop_signal")).isEqualTo("SIGTERM");

			// The token: a Compose secret, mounted as /run/secrets/cluster.server-token.
			Map<String, Object> secret = map(list(service.get("secrets")).get(0));
			assertThat(secret.get("target")).isEqualTo("cluster.server-token");
			assertThat(map(secrets.get(secret.get("source")))).containsKey("file");
			Map<String, String> environment = new LinkedHashMap<>();
			map(service.get("environment")).forEach((key, value) -> environment.put(key, String.valueOf(value)));
			assertNoTokenIn(environment);
			assertThat(environment.get("SPRING_CONFIG_IMPORT")).isEqualTo("configtree:/run/secrets/");
			environment.put("SPRING_CONFIG_IMPORT", "configtree:" + credentials() + "/");

			Node node = Node.bind(environment, List.of());
			assertThat(node.role()).isEqualTo(NodeRole.valueOf(name.toUpperCase()));
			assertThat(node.serverToken()).isEqualTo(TEST_TOKEN);
			Duration grace = DurationStyle.detectAndParse(service.get("stop_grace_period").toString());
			assertThat(grace).as(name + " stop_grace_period").isGreaterThan(node.stopTime());

			String check = String.join(" ", strings(map(service.get("healthcheck")).get("test")));
			Matcher request = Pattern.compile("/dev/tcp/127\\.0\\.0\\.1/(\\d+) .*'GET (\\S+) HTTP").matcher(check);
			assertThat(request.find()).as(check).isTrue();
			assertThat(Integer.parseInt(request.group(1))).isEqualTo(node.port());
			assertThat(request.group(2)).isEqualTo("/actuator/health/readiness");
			assertAnswers(request.group(2));
		}
		assertThat(map(services.get("server")).get("ports")).isNotNull();
		Map<String, Object> worker = map(services.get("worker"));
		assertThat(worker.get("ports")).as("workers serve no clients").isNull();
		assertThat(map(worker.get("deploy")).get("replicas")).isEqualTo(2);
	}

	@Test
	void dockerfileRunsTheJvmWithoutAShellInBetween() throws IOException {
		List<String> lines = Files.readAllLines(DEPLOY.resolve("docker/Dockerfile"));
		assertThat(lines).filteredOn((line) -> line.startsWith("ENTRYPOINT"))
			.singleElement()
			.satisfies((line) -> assertThat(line).startsWith("ENTRYPOINT [\"java\""));
		assertThat(lines).filteredOn((line) -> line.startsWith("FROM")).allMatch((line) -> line.contains("temurin:17"));
		assertThat(lines).anyMatch((line) -> line.startsWith("USER "));
	}

	// Kubernetes

	@Test
	void kubernetesDeploymentsSetTheirRoleGraceProbesAndToken() throws IOException {
		List<Map<String, Object>> manifests = kubernetes();
		Map<String, Object> secret = only(manifests, "Secret");
		String secretName = map(secret.get("metadata")).get("name").toString();
		assertThat(map(secret.get("stringData"))).containsOnlyKeys("cluster.server-token");

		List<Map<String, Object>> deployments = all(manifests, "Deployment");
		assertThat(deployments).extracting((deployment) -> labels(deployment).get("app.kubernetes.io/component"))
			.containsExactlyInAnyOrder("server", "worker");
		for (Map<String, Object> deployment : deployments) {
			String component = labels(deployment).get("app.kubernetes.io/component");
			Map<String, Object> spec = map(deployment.get("spec"));
			assertThat((Integer) spec.get("replicas")).isGreaterThanOrEqualTo(2);
			assertThat(map(map(spec.get("strategy")).get("rollingUpdate")).get("maxUnavailable")).isEqualTo(0);
			Map<String, Object> pod = map(map(spec.get("template")).get("spec"));
			Map<String, Object> container = map(list(pod.get("containers")).get(0));

			// The token: the Secret, mounted where the configtree import reads it.
			Map<String, String> environment = new LinkedHashMap<>();
			for (Object variable : list(container.get("env"))) {
				Map<String, Object> entry = map(variable);
				assertThat(entry).containsKey("value");
				environment.put(entry.get("name").toString(), entry.get("value").toString());
			}
			assertNoTokenIn(environment);
			Matcher tree = CONFIG_TREE.matcher(environment.get("SPRING_CONFIG_IMPORT"));
			assertThat(tree.matches()).isTrue();
			Map<String, Object> mount = map(list(container.get("volumeMounts")).get(0));
			assertThat(Path.of(tree.group(1))).isEqualTo(Path.of(mount.get("mountPath").toString()));
			Map<String, Object> volume = list(pod.get("volumes")).stream()
				.map(DeployRecipesTests::map)
				.filter((candidate) -> candidate.get("name").equals(mount.get("name")))
				.findFirst()
				.orElseThrow();
			Map<String, Object> secretVolume = map(volume.get("secret"));
			assertThat(secretVolume.get("secretName")).isEqualTo(secretName);
			assertThat(map(list(secretVolume.get("items")).get(0))).containsEntry("key", "cluster.server-token")
				.containsEntry("path", "cluster.server-token");
			environment.put("SPRING_CONFIG_IMPORT", "configtree:" + credentials() + "/");

			Node node = Node.bind(environment, List.of());
			assertThat(node.role()).as(component + " role").isEqualTo(NodeRole.valueOf(component.toUpperCase()));
			assertThat(node.serverToken()).isEqualTo(TEST_TOKEN);
			Map<String, Object> port = map(list(container.get("ports")).get(0));
			assertThat(port.get("containerPort")).isEqualTo(node.port());

			// Probes: paths that answer, on that port; readiness waits longer than the
			// cluster contributor does.
			Map<String, Object> liveness = httpGet(container, "livenessProbe");
			Map<String, Object> readiness = httpGet(container, "readinessProbe");
			assertThat(liveness.get("path")).isEqualTo("/actuator/health/liveness");
			assertThat(readiness.get("path")).isEqualTo("/actuator/health/readiness");
			for (Map<String, Object> probe : List.of(liveness, readiness, httpGet(container, "startupProbe"))) {
				assertThat(probe.get("port")).isEqualTo(port.get("name"));
				assertAnswers(probe.get("path").toString());
			}
			int readinessTimeout = (Integer) map(container.get("readinessProbe")).getOrDefault("timeoutSeconds", 1);
			assertThat(Duration.ofSeconds(readinessTimeout)).isGreaterThan(node.healthTimeout());

			// The stop: preStop first, then SIGTERM and the graceful stop, within the
			// grace.
			List<String> preStop = strings(
					map(map(map(container.get("lifecycle")).get("preStop")).get("exec")).get("command"));
			assertThat(preStop).hasSize(2).first().isEqualTo("sleep");
			Duration pause = Duration.ofSeconds(Long.parseLong(preStop.get(1)));
			assertThat(pause).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
			Duration grace = Duration.ofSeconds((Integer) pod.get("terminationGracePeriodSeconds"));
			assertThat(grace).as(component + " terminationGracePeriodSeconds")
				.isGreaterThan(pause.plus(node.stopTime()));

			// At most one pod of the role down by choice.
			assertThat(all(manifests, "PodDisruptionBudget")).filteredOn((budget) -> selects(budget, deployment))
				.singleElement()
				.satisfies((budget) -> assertThat(map(budget.get("spec")).get("maxUnavailable")).isEqualTo(1));
		}
	}

	@Test
	void onlyTheServersAreBehindAService() throws IOException {
		List<Map<String, Object>> manifests = kubernetes();
		List<Map<String, Object>> services = all(manifests, "Service");
		for (Map<String, Object> deployment : all(manifests, "Deployment")) {
			String component = labels(deployment).get("app.kubernetes.io/component");
			List<Map<String, Object>> routing = services.stream()
				.filter((service) -> selects(service, deployment))
				.toList();
			if (component.equals("server")) {
				assertThat(routing).hasSize(1);
			}
			else {
				assertThat(routing).as("no Service routes to " + component).isEmpty();
			}
		}
	}

	@Test
	void readinessFollowsTheClusterAndLivenessDoesNot() {
		HealthEndpointGroups groups = sample.getBean(HealthEndpointGroups.class);
		assertThat(groups.get("readiness").isMember("cluster")).isTrue();
		assertThat(groups.get("liveness").isMember("cluster")).isFalse();
	}

	// What the application makes of a recipe's settings

	/**
	 * What a node started with a recipe's environment and arguments binds, through the
	 * sample's own application*.yml and the profiles the recipe activates.
	 */
	record Node(int port, NodeRole role, String serverToken, Duration webDrain, Duration shutdownTimeout,
			Duration healthTimeout) {

		static Node bind(Map<String, String> environment, List<String> arguments) {
			StandardEnvironment spring = new StandardEnvironment();
			MutablePropertySources sources = spring.getPropertySources();
			// The recipe's variables stand for the process environment; this JVM's own
			// variables and system properties are not the deployment's.
			sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
			sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
			sources.addFirst(new SystemEnvironmentPropertySource("deployment", new HashMap<>(environment)));
			if (!arguments.isEmpty()) {
				sources.addFirst(new SimpleCommandLinePropertySource(arguments.toArray(String[]::new)));
			}
			ConfigDataEnvironmentPostProcessor.applyTo(spring);
			Binder binder = Binder.get(spring);
			ClusterProperties cluster = binder.bindOrCreate("cluster", ClusterProperties.class);
			Duration drain = binder.bind("spring.lifecycle.timeout-per-shutdown-phase", Bindable.of(Duration.class))
				.orElse(Duration.ofSeconds(30));
			int port = binder.bind("server.port", Integer.class).orElse(8080);
			return new Node(port, cluster.getRole(), Objects.toString(cluster.getServerToken(), null), drain,
					cluster.getTasks().getShutdownTimeout(), cluster.getHealth().getTimeout());
		}

		/**
		 * The longest a graceful stop takes (docs/production.md, "Start-up and graceful
		 * shutdown"): the web drain, leaving and the rest, and on nodes that run tasks
		 * the jobs' shutdown timeout and their hand-back.
		 */
		Duration stopTime() {
			Duration time = this.webDrain.plus(LEAVING);
			return this.role.runsTasks() ? time.plus(this.shutdownTimeout).plus(HAND_BACK) : time;
		}

	}

	private Path credentials() throws IOException {
		Path directory = Files.createDirectories(this.temp.resolve("credentials"));
		Files.writeString(directory.resolve("cluster.server-token"), TEST_TOKEN + "\n");
		return directory;
	}

	private static void assertNoTokenIn(Map<String, String> environment) {
		assertThat(environment.keySet()).as("the token is never an environment value")
			.noneMatch((name) -> name.toUpperCase().contains("TOKEN"));
		assertThat(environment.values()).noneMatch((value) -> value.contains(TEST_TOKEN));
	}

	private static void assertAnswers(String path) {
		int status = http.get().uri(path).exchange((request, response) -> response.getStatusCode().value());
		assertThat(status).as("GET " + path).isEqualTo(200);
	}

	private static Map<String, Object> httpGet(Map<String, Object> container, String probe) {
		return map(map(container.get(probe)).get("httpGet"));
	}

	private static List<Map<String, Object>> kubernetes() throws IOException {
		List<Map<String, Object>> manifests = new ArrayList<>();
		try (Stream<Path> files = Files.list(DEPLOY.resolve("kubernetes"))) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".yaml")).sorted().toList()) {
				try (InputStream in = Files.newInputStream(file)) {
					for (Object document : new Yaml().loadAll(in)) {
						if (document != null) {
							manifests.add(map(document));
						}
					}
				}
			}
		}
		Map<String, Object> kustomization = only(manifests, "Kustomization");
		assertThat(strings(kustomization.get("resources"))).as("what kubectl apply -k applies")
			.containsExactlyInAnyOrder("redis.yaml", "server.yaml", "worker.yaml", "pdb.yaml");
		return manifests;
	}

	private static Map<String, Object> only(List<Map<String, Object>> manifests, String kind) {
		List<Map<String, Object>> found = all(manifests, kind);
		assertThat(found).as(kind).hasSize(1);
		return found.get(0);
	}

	private static List<Map<String, Object>> all(List<Map<String, Object>> manifests, String kind) {
		return manifests.stream().filter((manifest) -> kind.equals(manifest.get("kind"))).toList();
	}

	private static Map<String, String> labels(Map<String, Object> deployment) {
		Map<String, String> labels = new LinkedHashMap<>();
		map(map(map(map(deployment.get("spec")).get("template")).get("metadata")).get("labels"))
			.forEach((key, value) -> labels.put(key, value.toString()));
		return labels;
	}

	/**
	 * Whether the selector of a Service or PodDisruptionBudget matches a Deployment's
	 * pods.
	 */
	private static boolean selects(Map<String, Object> selecting, Map<String, Object> deployment) {
		Map<String, Object> spec = map(selecting.get("spec"));
		Map<String, Object> selector = map(spec.get("selector"));
		Map<String, Object> labels = selector.containsKey("matchLabels") ? map(selector.get("matchLabels")) : selector;
		Map<String, String> podLabels = labels(deployment);
		return labels.entrySet()
			.stream()
			.allMatch((label) -> label.getValue().toString().equals(podLabels.get(label.getKey())));
	}

	private static Map<String, Object> yaml(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return map(new Yaml().load(in));
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return (List<Object>) value;
	}

	static List<String> strings(Object value) {
		if (value instanceof String text) {
			return List.of(text.split("\\s+"));
		}
		return list(value).stream().map(String::valueOf).toList();
	}

	private static Path locateDeploy() {
		Path here = Path.of("").toAbsolutePath();
		for (Path directory = here; directory != null; directory = directory.getParent()) {
			if (Files.isDirectory(directory.resolve("deploy/systemd"))) {
				return directory.resolve("deploy");
			}
		}
		throw new IllegalStateException("No deploy/ directory above " + here);
	}

}
