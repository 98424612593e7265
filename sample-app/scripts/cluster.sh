#!/usr/bin/env bash
#
# Runs a local three-node Cohort cluster of the sample app: one server node and two worker
# nodes, on a redis-server of its own (never the machine's Redis on 6379).
#
#   sample-app/scripts/cluster.sh          start, print the URLs, run until Ctrl-C
#   sample-app/scripts/cluster.sh stop     stop a cluster started from another terminal
#   sample-app/scripts/cluster.sh status   tell whether a cluster is running
#
# Environment (all optional):
#   CLUSTER_SERVER_TOKEN   the shared secret of the nodes; a random one by default
#   COHORT_SAMPLE_HOME     where logs and state go; default ${TMPDIR:-/tmp}/cohort-sample-cluster
#   COHORT_SAMPLE_PORTS    the nodes' HTTP ports; default "8081 8082 8083" (first is the server)
#   COHORT_SAMPLE_REDIS_PORT  the Redis port; default the first free one from 6390
#   JAVA                   the java binary; default java on the PATH
#
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "${script_dir}/../.." && pwd)"
home="${COHORT_SAMPLE_HOME:-${TMPDIR:-/tmp}/cohort-sample-cluster}"
read -r -a http_ports <<<"${COHORT_SAMPLE_PORTS:-8081 8082 8083}"
profiles=("redis,server" "redis,worker" "redis,worker")
java_bin="${JAVA:-java}"
state="${home}/run"
logs="${home}/logs"

log() {
	printf '[cluster.sh] %s\n' "$*" >&2
}

die() {
	log "ERROR: $*"
	exit 1
}

# Whether something accepts connections on 127.0.0.1:$1.
port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The pid in file $1 if that process is alive and its command line contains $2.
live_pid() {
	local file="$1" expected="$2" pid
	[[ -f "${file}" ]] || return 1
	pid="$(<"${file}")"
	[[ "${pid}" =~ ^[0-9]+$ ]] || return 1
	kill -0 "${pid}" 2>/dev/null || return 1
	[[ "$(ps -o args= -p "${pid}" 2>/dev/null || true)" == *"${expected}"* ]] || return 1
	printf '%s\n' "${pid}"
}

# Sends SIGTERM to the process in pid file $1 (if it is still what $2 says), waits up to
# $3 seconds for it to exit, then kills it.
terminate() {
	local file="$1" expected="$2" timeout="$3" pid i
	if pid="$(live_pid "${file}" "${expected}")"; then
		kill -TERM "${pid}" 2>/dev/null || true
		for ((i = 0; i < timeout * 10; i++)); do
			kill -0 "${pid}" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "${pid}" 2>/dev/null; then
			log "pid ${pid} did not stop within ${timeout}s: killing it"
			kill -KILL "${pid}" 2>/dev/null || true
		fi
		wait "${pid}" 2>/dev/null || true
	fi
	rm -f "${file}"
}

# Stops the nodes first, in parallel (so that they leave the cluster cleanly while Redis
# is still there), then Redis.
stop_all() {
	local file stoppers=()
	for file in "${state}"/node-*.pid; do
		[[ -e "${file}" ]] || continue
		terminate "${file}" "cohort-sample-app" 20 &
		stoppers+=("$!")
	done
	if ((${#stoppers[@]} > 0)); then
		wait "${stoppers[@]}" || true
	fi
	terminate "${state}/redis.pid" "redis-server" 10
	rm -rf "${home}/redis"
}

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	log "stopping the cluster"
	stop_all
	rm -f "${state}/cluster.pid"
	log "stopped; logs are in ${logs}"
	exit "${status}"
}

find_jar() {
	local jar
	for jar in "${repo_root}"/sample-app/target/cohort-sample-app-*.jar; do
		[[ -f "${jar}" && "${jar}" != *-sources.jar && "${jar}" != *-javadoc.jar ]] || continue
		printf '%s\n' "${jar}"
		return 0
	done
	return 1
}

make_token() {
	if command -v openssl >/dev/null 2>&1; then
		openssl rand -base64 32
	else
		head -c 32 /dev/urandom | base64 | tr -d '\n'
		echo
	fi
}

# Sends PING to Redis on port $1 and reads the answer, without redis-cli.
redis_ping() {
	local reply
	{
		exec 3<>"/dev/tcp/127.0.0.1/$1" &&
			printf 'PING\r\n' >&3 &&
			IFS= read -r -t 2 reply <&3 &&
			exec 3>&-
	} 2>/dev/null || return 1
	[[ "${reply}" == "+PONG"* ]]
}

wait_for() {
	local what="$1" timeout="$2" pid="$3" log_file="$4" i
	shift 4
	for ((i = 0; i < timeout * 5; i++)); do
		if "$@"; then
			return 0
		fi
		if ! kill -0 "${pid}" 2>/dev/null; then
			log "${what} exited; the end of ${log_file}:"
			tail -n 40 "${log_file}" >&2 || true
			return 1
		fi
		sleep 0.2
	done
	log "${what} did not get ready within ${timeout}s; the end of ${log_file}:"
	tail -n 40 "${log_file}" >&2 || true
	return 1
}

node_ready() {
	curl -fsS -o /dev/null "http://127.0.0.1:$1/actuator/health" 2>/dev/null
}

# The number of live members that the node on port $1 sees (no jq needed: counts the ids
# in the "members" array of GET /cluster, which comes after "self").
member_count() {
	local json
	json="$(curl -fsS "http://127.0.0.1:$1/cluster" 2>/dev/null)" || return 1
	json="${json#*\"members\":}"
	grep -o '"id":' <<<"${json}" | wc -l | tr -d ' '
}

has_members() {
	[[ "$(member_count "$1")" == "$2" ]]
}

start() {
	command -v redis-server >/dev/null 2>&1 || die "redis-server is not installed (e.g. apt-get install redis-server)"
	command -v "${java_bin}" >/dev/null 2>&1 || die "java is not installed or not on the PATH (set JAVA)"
	command -v curl >/dev/null 2>&1 || die "curl is not installed"
	if pid="$(live_pid "${state}/cluster.pid" "cluster.sh")"; then
		die "a cluster is already running (pid ${pid}); stop it with: $0 stop"
	fi
	mkdir -p "${state}" "${logs}"
	# Leftovers of a run that was killed without cleaning up.
	stop_all

	((${#http_ports[@]} == ${#profiles[@]})) || die "COHORT_SAMPLE_PORTS must name ${#profiles[@]} ports"
	local port
	for port in "${http_ports[@]}"; do
		if port_in_use "${port}"; then
			die "port ${port} is already in use; choose others with COHORT_SAMPLE_PORTS=\"9081 9082 9083\""
		fi
	done
	local redis_port="${COHORT_SAMPLE_REDIS_PORT:-}"
	if [[ -z "${redis_port}" ]]; then
		for ((port = 6390; port < 6490; port++)); do
			if ! port_in_use "${port}"; then
				redis_port="${port}"
				break
			fi
		done
		[[ -n "${redis_port}" ]] || die "no free port for Redis between 6390 and 6489"
	elif port_in_use "${redis_port}"; then
		die "port ${redis_port} is already in use; it must be free for this script's own Redis"
	fi

	local jar
	if ! jar="$(find_jar)"; then
		log "building the sample app: ./mvnw -q -DskipTests -pl sample-app -am package"
		(cd "${repo_root}" && ./mvnw -q -DskipTests -pl sample-app -am package) || die "the build failed"
		jar="$(find_jar)" || die "the build did not produce sample-app/target/cohort-sample-app-*.jar"
	fi

	echo $$ >"${state}/cluster.pid"
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM

	# Redis: loopback only, nothing on disk, its own temporary directory. Redis and the
	# nodes run in sessions of their own (setsid), so that Ctrl-C reaches only this script,
	# which then stops the nodes before Redis.
	mkdir -p "${home}/redis"
	setsid redis-server --port "${redis_port}" --bind 127.0.0.1 --save "" --appendonly no \
		--dir "${home}/redis" --daemonize no >"${logs}/redis.log" 2>&1 &
	echo $! >"${state}/redis.pid"
	wait_for "redis-server" 10 "$!" "${logs}/redis.log" redis_ping "${redis_port}"
	log "redis-server is up on 127.0.0.1:${redis_port} (pid $(<"${state}/redis.pid"))"

	if [[ -z "${CLUSTER_SERVER_TOKEN:-}" ]]; then
		CLUSTER_SERVER_TOKEN="$(make_token)"
	fi
	export CLUSTER_SERVER_TOKEN
	export REDIS_HOST=127.0.0.1
	export REDIS_PORT="${redis_port}"

	# Nodes start in parallel; each derives its id (cohort-sample-<role>-<n>) from Redis.
	local i pids=()
	for i in "${!http_ports[@]}"; do
		port="${http_ports[$i]}"
		setsid "${java_bin}" -jar "${jar}" --spring.profiles.active="${profiles[$i]}" --server.port="${port}" \
			>"${logs}/node-${port}.log" 2>&1 &
		pids+=("$!")
		echo $! >"${state}/node-${port}.pid"
		log "started node ${profiles[$i]#redis,} on port ${port} (pid $!), log: ${logs}/node-${port}.log"
	done
	for i in "${!http_ports[@]}"; do
		port="${http_ports[$i]}"
		wait_for "node on port ${port}" 120 "${pids[$i]}" "${logs}/node-${port}.log" node_ready "${port}"
	done
	wait_for "the cluster" 30 "${pids[0]}" "${logs}/node-${http_ports[0]}.log" \
		has_members "${http_ports[0]}" "${#http_ports[@]}"

	cat <<EOF

Cohort sample cluster is up: ${#http_ports[@]} nodes on Redis 127.0.0.1:${redis_port}
EOF
	for i in "${!http_ports[@]}"; do
		echo "  ${profiles[$i]#redis,}  http://127.0.0.1:${http_ports[$i]}/cluster"
	done
	cat <<EOF

Try:
  curl -s http://127.0.0.1:${http_ports[0]}/cluster
  curl -s -X POST -H 'Content-Type: application/json' -d '{"text":"hello"}' http://127.0.0.1:${http_ports[0]}/announcements
  curl -s http://127.0.0.1:${http_ports[1]}/announcements
  curl -s http://127.0.0.1:${http_ports[0]}/rpc/status
  curl -s -X PUT -H 'Content-Type: application/json' -d '{"text":"hello"}' http://127.0.0.1:${http_ports[0]}/cache/notes/greeting
  curl -s http://127.0.0.1:${http_ports[1]}/cache/notes/greeting
  curl -s -X POST http://127.0.0.1:${http_ports[2]}/cache/report
  curl -s -X POST -H 'Content-Type: application/json' -d '{"image":"cat.png"}' http://127.0.0.1:${http_ports[0]}/tasks/thumbnails
  curl -s http://127.0.0.1:${http_ports[0]}/tasks/thumbnails/<jobId>     (made by a worker)
  curl -s http://127.0.0.1:${http_ports[0]}/tasks
  curl -s http://127.0.0.1:${http_ports[0]}/tasks/report

Logs: ${logs}
Press Ctrl-C (or run '$0 stop') to stop the nodes and Redis.
EOF

	# Runs until a signal arrives ('wait' returns at once when one does, and the traps stop
	# everything). A node that exits on its own is reported and the others go on.
	while ((${#pids[@]} > 0)); do
		local remaining=()
		sleep 1 &
		wait "$!" || true
		for i in "${!pids[@]}"; do
			if kill -0 "${pids[$i]}" 2>/dev/null; then
				remaining+=("${pids[$i]}")
			else
				log "node pid ${pids[$i]} exited; see its log in ${logs}"
			fi
		done
		pids=("${remaining[@]+"${remaining[@]}"}")
	done
	log "all nodes have exited"
}

stop() {
	local pid i
	if pid="$(live_pid "${state}/cluster.pid" "cluster.sh")"; then
		log "asking cluster.sh (pid ${pid}) to stop"
		kill -TERM "${pid}"
		for ((i = 0; i < 450; i++)); do
			kill -0 "${pid}" 2>/dev/null || break
			sleep 0.1
		done
	fi
	# Whatever is left, e.g. after cluster.sh itself was killed.
	stop_all
	rm -f "${state}/cluster.pid"
	log "stopped"
}

status() {
	local pid file running=0
	if pid="$(live_pid "${state}/cluster.pid" "cluster.sh")"; then
		echo "cluster.sh is running (pid ${pid})"
		running=1
	fi
	for file in "${state}"/node-*.pid; do
		[[ -e "${file}" ]] || continue
		if pid="$(live_pid "${file}" "cohort-sample-app")"; then
			file="${file##*/node-}"
			echo "node on port ${file%.pid} is running (pid ${pid})"
			running=1
		fi
	done
	if pid="$(live_pid "${state}/redis.pid" "redis-server")"; then
		echo "redis-server is running (pid ${pid})"
		running=1
	fi
	((running)) || echo "no cluster is running"
}

case "${1:-start}" in
start) start ;;
stop) stop ;;
status) status ;;
-h | --help | help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' ;;
*) die "unknown command '$1' (use start, stop or status)" ;;
esac
