#!/usr/bin/env bash
#
# Restarts Cohort instances one at a time, and waits for each to be ready before it touches
# the next, so that never more than one of them is down.
#
#   rolling-restart.sh [options] INSTANCE...
#   rolling-restart.sh 8081 8082 8083          cohort@8081.service, then 8082, then 8083
#
# For each instance, in the order given:
#   1. runs the restart command (by default: systemctl restart cohort@INSTANCE.service, which
#      returns once the old process has stopped and the new one has started);
#   2. runs the readiness check every second (by default: GET
#      http://127.0.0.1:INSTANCE/actuator/health/readiness answers 2xx, which with Cohort means
#      the node has joined the cluster) until it succeeds or the timeout is over.
# Before the first restart, every instance must be ready: the script refuses to take one down
# while another one already is.
#
# Exits 0 once every instance has been restarted and is ready. Exits non-zero, naming the
# instance, as soon as one does not restart or does not become ready in time; the instances
# after it are left alone (still running the old version).
#
# Options (or the environment variables after them):
#   --restart-command CMD  COHORT_RESTART_COMMAND  run with bash -c, %i replaced by the instance;
#                          default: systemctl restart cohort@%i.service
#   --ready-command CMD    COHORT_READY_COMMAND    succeeds when the instance is ready, %i
#                          replaced; default: curl -fsS -o /dev/null --max-time 2 READY_URL
#   --ready-url URL        COHORT_READY_URL        default: http://127.0.0.1:%i/actuator/health/readiness
#   --timeout SECONDS      COHORT_READY_TIMEOUT    how long each instance may take to be ready;
#                          default 180
#   --pause SECONDS        COHORT_PAUSE            wait after each ready instance; default 0
#   -h, --help
#
# Every line it prints starts with a UTC time and "rolling-restart:"; the lines
# "INSTANCE: restarting" and "INSTANCE: ready after Ns" mark each step.
#
set -euo pipefail

restart_command="${COHORT_RESTART_COMMAND:-systemctl restart cohort@%i.service}"
ready_url="${COHORT_READY_URL:-http://127.0.0.1:%i/actuator/health/readiness}"
ready_command="${COHORT_READY_COMMAND:-}"
timeout="${COHORT_READY_TIMEOUT:-180}"
pause="${COHORT_PAUSE:-0}"

log() {
	printf '%s rolling-restart: %s\n' "$(date -u +%H:%M:%S)" "$*"
}

die() {
	printf '%s rolling-restart: ERROR: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
	exit 1
}

usage() {
	sed -n '2,35p' "$0" | sed 's/^# \{0,1\}//'
}

# $1 with every %i replaced by the instance $2.
for_instance() {
	printf '%s' "${1//%i/$2}"
}

is_ready() {
	bash -c "$(for_instance "${ready_command}" "$1")" >/dev/null 2>&1
}

# Waits until instance $1 is ready, for up to ${timeout} seconds; prints how long it took.
wait_ready() {
	local instance="$1" start now
	start="${SECONDS}"
	while true; do
		if is_ready "${instance}"; then
			printf '%s\n' "$((SECONDS - start))"
			return 0
		fi
		now="${SECONDS}"
		if ((now - start >= timeout)); then
			return 1
		fi
		sleep 1
	done
}

instances=()
while (($# > 0)); do
	case "$1" in
	--restart-command) restart_command="${2:?--restart-command needs a command}"; shift 2 ;;
	--ready-command) ready_command="${2:?--ready-command needs a command}"; shift 2 ;;
	--ready-url) ready_url="${2:?--ready-url needs a URL}"; shift 2 ;;
	--timeout) timeout="${2:?--timeout needs a number of seconds}"; shift 2 ;;
	--pause) pause="${2:?--pause needs a number of seconds}"; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	--) shift; instances+=("$@"); break ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) instances+=("$1"); shift ;;
	esac
done

((${#instances[@]} > 0)) || die "name the instances to restart, e.g. $0 8081 8082 8083 (see --help)"
[[ "${timeout}" =~ ^[0-9]+$ ]] || die "--timeout must be a whole number of seconds, not '${timeout}'"
[[ "${pause}" =~ ^[0-9]+$ ]] || die "--pause must be a whole number of seconds, not '${pause}'"
for instance in "${instances[@]}"; do
	[[ "${instance}" =~ ^[A-Za-z0-9_.:@-]+$ ]] || die "'${instance}' is not an instance name (letters, digits, _ . : @ -)"
done
if [[ -z "${ready_command}" ]]; then
	command -v curl >/dev/null 2>&1 || die "curl is not installed; install it or pass --ready-command"
	ready_command="curl -fsS -o /dev/null --max-time 2 '${ready_url}'"
fi

not_ready=()
for instance in "${instances[@]}"; do
	is_ready "${instance}" || not_ready+=("${instance}")
done
if ((${#not_ready[@]} > 0)); then
	die "not ready before the restart: ${not_ready[*]}; a rolling restart takes down one ready instance at a time, fix these first"
fi
log "restarting ${#instances[@]} instance(s) one at a time: ${instances[*]} (each must be ready within ${timeout}s)"

count=0
for instance in "${instances[@]}"; do
	count=$((count + 1))
	log "${instance}: restarting (${count}/${#instances[@]})"
	if ! bash -c "$(for_instance "${restart_command}" "${instance}")"; then
		die "${instance}: the restart command failed: $(for_instance "${restart_command}" "${instance}"); the instances after it were not restarted"
	fi
	if ! took="$(wait_ready "${instance}")"; then
		die "${instance}: not ready within ${timeout}s after its restart; stopping here, the instances after it were not restarted (check: $(for_instance "${ready_command}" "${instance}"))"
	fi
	log "${instance}: ready after ${took}s"
	if ((pause > 0 && count < ${#instances[@]})); then
		sleep "${pause}"
	fi
done
log "done: ${#instances[@]} instance(s) restarted, each ready before the next"
