#!/usr/bin/env bash
# Brings the local dev stack up and down: PostgreSQL (throwaway cluster), DevKafka (librdkafka's mock
# cluster on fixed ports), s3rver (S3 stand-in), and Prometheus, Alertmanager and a Pushgateway running the
# shipped deploy/prometheus and deploy/alertmanager files. State lives in .devstack/ at the repository root.
#
#   deploy/devstack.sh up [--no-kafka] [--no-s3] [--no-postgres] [--no-prometheus]
#   deploy/devstack.sh down
#   deploy/devstack.sh status
#   deploy/devstack.sh env            # prints sourceable exports; `up` also writes .devstack/env
#   deploy/devstack.sh tools          # installs what the tests use to check deploy files (docker-compose, tsc + @grafana/schema)
#
# Ports: FRAUD_PG_PORT (55432), FRAUD_KAFKA_PORT (9092, brokers on consecutive ports), FRAUD_S3_PORT (4569),
# FRAUD_PROMETHEUS_PORT (9090), FRAUD_ALERTMANAGER_PORT (9093), FRAUD_PUSHGATEWAY_PORT (9091); read at the first
# `up` and kept in .devstack/ports until `down`. Prometheus, Alertmanager and the Pushgateway move to the next free
# port when their default is taken and no port was set for them.
# Prometheus scrapes and evaluates every FRAUD_PROMETHEUS_INTERVAL (2s; the shipped file says 15s) so that a short
# run shows data; everything else in its configuration is the shipped file. Its targets are files in
# .devstack/prometheus/targets/: the scorer on 127.0.0.1:9401 and monitoring on 127.0.0.1:9402, the aggregator on 127.0.0.1:9403 (the defaults),
# and any targets/fraud-scorer*.yml a test or script adds.
# Everything is idempotent: `up` on a running stack only prints the environment, `down` on nothing succeeds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.devstack"
ENV_FILE="$STATE/env"

PG_PORT="${FRAUD_PG_PORT:-55432}"
PG_DATABASE=fraud
KAFKA_PORT="${FRAUD_KAFKA_PORT:-9092}"
KAFKA_BROKERS="${FRAUD_KAFKA_BROKERS:-3}"
KAFKA_PARTITIONS="${FRAUD_KAFKA_PARTITIONS:-12}"
S3_PORT="${FRAUD_S3_PORT:-4569}"
S3_BUCKET=fraud-models
PROM_PORT="${FRAUD_PROMETHEUS_PORT:-9090}"
AM_PORT="${FRAUD_ALERTMANAGER_PORT:-9093}"
PUSH_PORT="${FRAUD_PUSHGATEWAY_PORT:-9091}"
PROM_INTERVAL="${FRAUD_PROMETHEUS_INTERVAL:-2s}"

KAFKA_PROJECT="$ROOT/tools/DevKafka"
KAFKA_DLL="$KAFKA_PROJECT/bin/Release/net10.0/Fraud.Streaming.DevKafka.dll"
KAFKA_PID="$STATE/kafka.pid"
KAFKA_LOG="$STATE/kafka.log"
KAFKA_BOOTSTRAP_FILE="$STATE/kafka.bootstrap"
S3_DIR="$ROOT/tools/s3"
S3_PID="$STATE/s3.pid"
S3_LOG="$STATE/s3.log"
S3_DATA="$STATE/s3"
PROM_DIR="$STATE/prometheus"
PROM_PID="$STATE/prometheus.pid"
PROM_LOG="$STATE/prometheus.log"
AM_DIR="$STATE/alertmanager"
AM_PID="$STATE/alertmanager.pid"
AM_LOG="$STATE/alertmanager.log"
PUSH_PID="$STATE/pushgateway.pid"
PUSH_LOG="$STATE/pushgateway.log"
GRAFANA_TOOLS="$ROOT/tools/grafana-schema"
# Where the PostgreSQL files live is recorded here (see pg_base).
PG_BASE_FILE="$STATE/pg.base"
# The ports chosen at the first `up` hold until `down`, whatever the environment says later.
PORTS_FILE="$STATE/ports"
if [[ -f "$PORTS_FILE" ]]; then
    while IFS='=' read -r key value; do
        [[ "$value" =~ ^[0-9]+$ ]] || continue
        case "$key" in
        PG_PORT) PG_PORT="$value" ;;
        KAFKA_PORT) KAFKA_PORT="$value" ;;
        KAFKA_BROKERS) KAFKA_BROKERS="$value" ;;
        S3_PORT) S3_PORT="$value" ;;
        PROM_PORT) PROM_PORT="$value" ;;
        AM_PORT) AM_PORT="$value" ;;
        PUSH_PORT) PUSH_PORT="$value" ;;
        esac
    done <"$PORTS_FILE"
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf 'devstack: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
    exit 2
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_until SECONDS COMMAND...: polls every 0.2 s.
wait_until() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# The pid from a pid file if that process is alive and its command line contains the marker (guards against pid reuse).
live_pid() {
    local file="$1" marker="$2" pid
    [[ -f "$file" ]] || return 1
    pid="$(<"$file")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
    printf '%s\n' "$pid"
}

# Stops a process started by start_detached: SIGTERM to its process group, then SIGKILL after a grace period.
stop_pid_file() {
    local file="$1" marker="$2" name="$3" pid
    if pid="$(live_pid "$file" "$marker")"; then
        log "stopping $name (pid $pid)"
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        if ! wait_until 15 not_alive "$pid"; then
            log "$name ignored SIGTERM; killing it"
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
            wait_until 5 not_alive "$pid" || die "could not stop $name (pid $pid)"
        fi
        # Children that left the group are still ours if their parent was.
        pkill -KILL -P "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

not_alive() { ! kill -0 "$1" 2>/dev/null; }

is_root() { [[ "$(id -u)" == 0 ]]; }

# Hands files to the postgres OS user when we are root (otherwise they are already ours and the server's).
own_pg() {
    if is_root; then
        chown postgres: "$@"
    fi
}

# start_detached PIDFILE LOGFILE COMMAND...: runs the command in a new session (its own process group, so `down`
# can signal the whole group), immune to the caller's terminal closing. The inner shell records its own pid and
# then execs the command, so the pid file names the command itself whether or not setsid had to fork.
start_detached() {
    local pidfile="$1" logfile="$2"
    shift 2
    rm -f "$pidfile"
    # shellcheck disable=SC2016 # expanded by the inner shell
    setsid -f bash -c 'printf "%s\n" "$$" >"$0"; exec "$@"' "$pidfile" "$@" >"$logfile" 2>&1 </dev/null
    wait_until 10 test -s "$pidfile" || die "could not start $* (log: $logfile)"
}

# ---------------------------------------------------------------- PostgreSQL

# The newest installed server's bin folder.
pg_bin() {
    local dirs=(/usr/lib/postgresql/*/bin/initdb) found
    [[ -x "${dirs[0]}" ]] || return 1
    found="$(printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1)"
    printf '%s\n' "${found%/initdb}"
}

ensure_postgres_installed() {
    pg_bin >/dev/null && return 0
    is_root || die "PostgreSQL server binaries not found and not root: apt-get install postgresql"
    log "installing PostgreSQL (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    # The package starts its own cluster on 5432; ours is separate, so leave that one alone.
    pg_bin >/dev/null || die "initdb still not found under /usr/lib/postgresql/*/bin after installing postgresql"
}

# kcat is how the README (and an end-to-end test) publishes from the shell, as a client in any language would.
# Optional: without it (and without root to install it) the stack still starts and that test is skipped.
ensure_kcat() {
    command -v kcat >/dev/null && return 0
    if ! is_root; then
        log "kcat not found and not root; skipping (apt-get install kcat to publish from the shell)"
        return 0
    fi
    log "installing kcat (apt-get)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat >/dev/null; }; then
        log "could not install kcat; continuing without it"
    fi
}

# Runs a command as the postgres OS user when we are root (initdb and the server refuse to run as root).
as_pg() {
    if is_root; then
        # From / so the postgres user is not left in a working directory it may not enter.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# The folder holding data, socket and log. Normally .devstack itself; when the postgres user cannot reach it
# (a checkout under a private home) or the socket path would be too long, a private temporary folder, recorded
# in .devstack/pg.base so `down` finds it.
pg_base() {
    if [[ -f "$PG_BASE_FILE" ]]; then
        cat "$PG_BASE_FILE"
        return
    fi
    local base="$STATE"
    if is_root && ! runuser -u postgres -- test -x "$STATE"; then
        base=""
    fi
    # Unix socket paths are limited to 107 bytes.
    if [[ -n "$base" ]] && ((${#base} + 30 > 100)); then
        base=""
    fi
    if [[ -z "$base" ]]; then
        base="$(mktemp -d "${TMPDIR:-/tmp}/fraud-devstack-pg.XXXXXX")"
        chmod 755 "$base"
    fi
    printf '%s\n' "$base" >"$PG_BASE_FILE"
    printf '%s\n' "$base"
}

pg_running() {
    local base bin
    [[ -f "$PG_BASE_FILE" ]] || return 1
    base="$(<"$PG_BASE_FILE")"
    bin="$(pg_bin)" || return 1
    [[ -f "$base/pg/PG_VERSION" ]] || return 1
    as_pg "$bin/pg_ctl" -D "$base/pg" status >/dev/null 2>&1
}

pg_ready() {
    "$1/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres
}

pg_up() {
    ensure_postgres_installed
    local bin base
    bin="$(pg_bin)"
    if pg_running; then
        log "postgres already running on 127.0.0.1:$PG_PORT"
        return 0
    fi
    port_open "$PG_PORT" && die "127.0.0.1:$PG_PORT is taken by something else; set FRAUD_PG_PORT to another port"
    base="$(pg_base)"
    if [[ ! -f "$base/pg/PG_VERSION" ]]; then
        rm -rf "$base/pg" "$base/pg-sock"
        mkdir -p "$base/pg" "$base/pg-sock"
        own_pg "$base/pg" "$base/pg-sock"
        chmod 700 "$base/pg"
        log "initdb $base/pg"
        as_pg "$bin/initdb" -D "$base/pg" -A trust --no-sync -U postgres -E UTF8 --locale=C.UTF-8 >"$STATE/initdb.log" 2>&1 ||
            { cat "$STATE/initdb.log" >&2; die "initdb failed"; }
    fi
    mkdir -p "$base/pg-sock"
    touch "$base/pg.log"
    own_pg "$base/pg-sock" "$base/pg.log"
    if [[ "$base" != "$STATE" ]]; then
        ln -sfn "$base/pg.log" "$STATE/pg.log"
    fi
    log "starting postgres on 127.0.0.1:$PG_PORT"
    local options="-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$base/pg-sock"
    options+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    if ! as_pg "$bin/pg_ctl" -D "$base/pg" -l "$base/pg.log" -w -t 60 -o "$options" start >/dev/null; then
        tail -n 20 "$base/pg.log" >&2 || true
        die "postgres did not start (log: $base/pg.log)"
    fi
    wait_until 30 pg_ready "$bin" || die "postgres not ready after 30 s (log: $base/pg.log)"
    if [[ "$("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" != 1 ]]; then
        "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE $PG_DATABASE" >/dev/null
    fi
}

pg_down() {
    [[ -f "$PG_BASE_FILE" ]] || return 0
    local base bin pid
    base="$(<"$PG_BASE_FILE")"
    if [[ -f "$base/pg/PG_VERSION" ]] && bin="$(pg_bin)"; then
        if as_pg "$bin/pg_ctl" -D "$base/pg" status >/dev/null 2>&1; then
            log "stopping postgres"
            as_pg "$bin/pg_ctl" -D "$base/pg" stop -m fast -w -t 30 >/dev/null 2>&1 || true
        fi
    fi
    # If a postmaster survived (stop failed), it still holds its pid file: end it for good.
    if [[ -f "$base/pg/postmaster.pid" ]]; then
        pid="$(head -n 1 "$base/pg/postmaster.pid")"
        if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
            wait_until 5 not_alive "$pid" || true
        fi
    fi
    rm -rf "$base/pg" "$base/pg-sock" "$base/pg.log" "$STATE/pg.log" "$STATE/initdb.log"
    if [[ "$base" != "$STATE" ]]; then
        rmdir "$base" 2>/dev/null || true
    fi
    rm -f "$PG_BASE_FILE"
}

# ---------------------------------------------------------------- DevKafka

kafka_running() { live_pid "$KAFKA_PID" Fraud.Streaming.DevKafka >/dev/null && [[ -s "$KAFKA_BOOTSTRAP_FILE" ]]; }

kafka_build() {
    if [[ -f "$KAFKA_DLL" ]] && [[ -z "$(find "$KAFKA_PROJECT" -path "$KAFKA_PROJECT/bin" -prune -o -path "$KAFKA_PROJECT/obj" -prune \
        -o \( -name '*.cs' -o -name '*.csproj' \) -newer "$KAFKA_DLL" -print -quit)" ]]; then
        return 0
    fi
    command -v dotnet >/dev/null || die "dotnet not found (the .NET 10 SDK builds DevKafka)"
    log "building DevKafka (Release)"
    # No build servers: nothing of ours may outlive the script.
    dotnet build -c Release "$KAFKA_PROJECT" -nologo -v q -nodeReuse:false -p:UseSharedCompilation=false >"$STATE/kafka-build.log" 2>&1 ||
        { tail -n 30 "$STATE/kafka-build.log" >&2; die "building DevKafka failed (log: $STATE/kafka-build.log)"; }
}

kafka_up() {
    if kafka_running; then
        log "DevKafka already running: $(<"$KAFKA_BOOTSTRAP_FILE")"
        return 0
    fi
    stop_pid_file "$KAFKA_PID" Fraud.Streaming.DevKafka DevKafka
    local i
    for ((i = 0; i < KAFKA_BROKERS; i++)); do
        port_open $((KAFKA_PORT + i)) && die "127.0.0.1:$((KAFKA_PORT + i)) is taken by something else; set FRAUD_KAFKA_PORT to another port"
    done
    kafka_build
    rm -f "$KAFKA_BOOTSTRAP_FILE"
    log "starting DevKafka on 127.0.0.1:$KAFKA_PORT (+$((KAFKA_BROKERS - 1)))"
    start_detached "$KAFKA_PID" "$KAFKA_LOG" dotnet "$KAFKA_DLL" --brokers "$KAFKA_BROKERS" --port "$KAFKA_PORT" \
        --partitions "$KAFKA_PARTITIONS" --bootstrap-file "$KAFKA_BOOTSTRAP_FILE"
    local deadline=$((SECONDS + 60))
    until [[ -s "$KAFKA_BOOTSTRAP_FILE" ]]; do
        if ! live_pid "$KAFKA_PID" Fraud.Streaming.DevKafka >/dev/null; then
            cat "$KAFKA_LOG" >&2 || true
            rm -f "$KAFKA_PID"
            die "DevKafka exited during start (log: $KAFKA_LOG)"
        fi
        if ((SECONDS >= deadline)); then
            stop_pid_file "$KAFKA_PID" Fraud.Streaming.DevKafka DevKafka
            die "DevKafka not ready after 60 s (log: $KAFKA_LOG)"
        fi
        sleep 0.2
    done
}

kafka_down() {
    stop_pid_file "$KAFKA_PID" Fraud.Streaming.DevKafka DevKafka
    rm -f "$KAFKA_BOOTSTRAP_FILE" "$KAFKA_LOG"
}

# ---------------------------------------------------------------- s3rver

S3_MAIN="$S3_DIR/node_modules/s3rver/bin/s3rver.js"

s3_running() { live_pid "$S3_PID" s3rver >/dev/null && port_open "$S3_PORT"; }

s3_up() {
    if s3_running; then
        log "s3rver already running on 127.0.0.1:$S3_PORT"
        return 0
    fi
    stop_pid_file "$S3_PID" s3rver s3rver
    port_open "$S3_PORT" && die "127.0.0.1:$S3_PORT is taken by something else; set FRAUD_S3_PORT to another port"
    command -v node >/dev/null || die "node not found (s3rver needs Node.js: apt-get install nodejs npm)"
    if [[ ! -f "$S3_MAIN" ]]; then
        command -v npm >/dev/null || die "npm not found (apt-get install npm)"
        log "installing s3rver (npm ci)"
        npm ci --prefix "$S3_DIR" --no-audit --no-fund --loglevel=error >"$STATE/s3-install.log" 2>&1 ||
            { tail -n 30 "$STATE/s3-install.log" >&2; die "npm ci failed (log: $STATE/s3-install.log)"; }
    fi
    mkdir -p "$S3_DATA"
    log "starting s3rver on 127.0.0.1:$S3_PORT (bucket $S3_BUCKET)"
    start_detached "$S3_PID" "$S3_LOG" node "$S3_MAIN" --directory "$S3_DATA" --address 127.0.0.1 --port "$S3_PORT" \
        --silent --configure-bucket "$S3_BUCKET"
    local deadline=$((SECONDS + 30))
    until port_open "$S3_PORT"; do
        if ! live_pid "$S3_PID" s3rver >/dev/null; then
            cat "$S3_LOG" >&2 || true
            rm -f "$S3_PID"
            die "s3rver exited during start (log: $S3_LOG)"
        fi
        if ((SECONDS >= deadline)); then
            stop_pid_file "$S3_PID" s3rver s3rver
            die "s3rver not listening after 30 s (log: $S3_LOG)"
        fi
        sleep 0.2
    done
}

s3_down() {
    stop_pid_file "$S3_PID" s3rver s3rver
    rm -rf "$S3_DATA" "$S3_LOG"
}

# ---------------------------------------------------------------- Prometheus, Alertmanager, Pushgateway

PROM_BIN=prometheus
AM_BIN=prometheus-alertmanager
PUSH_BIN=prometheus-pushgateway

# apt-get install without recommends: the Debian packages recommend a node exporter and, for docker-compose, a
# Docker engine, none of which the stack or the tests use.
apt_install() {
    is_root || die "$* not installed and not root: apt-get install --no-install-recommends $*"
    log "installing $* (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_prometheus_installed() {
    local missing=()
    command -v "$PROM_BIN" >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
    command -v "$AM_BIN" >/dev/null || missing+=(prometheus-alertmanager)
    command -v "$PUSH_BIN" >/dev/null || missing+=(prometheus-pushgateway)
    ((${#missing[@]} == 0)) || apt_install "${missing[@]}"
}

# True when port $1 is one the stack itself takes: Postgres, every Kafka broker, S3, or one in $2 (space-separated).
stack_port() {
    local port="$1" others="${2:-}" other
    ((port == PG_PORT || port == S3_PORT)) && return 0
    ((port >= KAFKA_PORT && port < KAFKA_PORT + KAFKA_BROKERS)) && return 0
    for other in $others; do ((port == other)) && return 0; done
    return 1
}

# The next port from $1 up that nothing listens on and the stack does not take (ports in $2 are taken too).
free_port_from() {
    local port="$1"
    while port_open "$port" || stack_port "$port" "${2:-}"; do
        port=$((port + 1))
        ((port < $1 + 100)) || die "no free port in $1-$((port - 1))"
    done
    printf '%s\n' "$port"
}

# At the first `up`, a monitoring port left to its default moves up past anything already listening there and
# past the ports the stack itself takes (the default Kafka brokers on 9092-9094 would otherwise meet
# Alertmanager's 9093 once they start).
pick_monitoring_ports() {
    [[ -f "$PORTS_FILE" ]] && return 0
    [[ -n "${FRAUD_PROMETHEUS_PORT:-}" ]] || PROM_PORT="$(free_port_from "$PROM_PORT")"
    [[ -n "${FRAUD_PUSHGATEWAY_PORT:-}" ]] || PUSH_PORT="$(free_port_from "$PUSH_PORT" "$PROM_PORT")"
    [[ -n "${FRAUD_ALERTMANAGER_PORT:-}" ]] || AM_PORT="$(free_port_from "$AM_PORT" "$PROM_PORT $PUSH_PORT")"
    local port
    for port in "$PROM_PORT" "$PUSH_PORT" "$AM_PORT"; do
        stack_port "$port" && die "monitoring port $port is one the stack takes for Postgres, Kafka or S3; choose another"
    done
    [[ "$PROM_PORT" != "$PUSH_PORT" && "$PROM_PORT" != "$AM_PORT" && "$PUSH_PORT" != "$AM_PORT" ]] ||
        die "Prometheus, Alertmanager and the Pushgateway need three different ports ($PROM_PORT, $AM_PORT, $PUSH_PORT)"
}

prom_running() { live_pid "$PROM_PID" "$PROM_BIN" >/dev/null && port_open "$PROM_PORT"; }
am_running() { live_pid "$AM_PID" "$AM_BIN" >/dev/null && port_open "$AM_PORT"; }
push_running() { live_pid "$PUSH_PID" "$PUSH_BIN" >/dev/null && port_open "$PUSH_PORT"; }

# start_server NAME PIDFILE LOGFILE PORT MARKER COMMAND...: starts a detached server and waits until its port listens.
start_server() {
    local name="$1" pidfile="$2" logfile="$3" port="$4" marker="$5"
    shift 5
    port_open "$port" && die "127.0.0.1:$port is taken by something else; set the port for $name to another one"
    log "starting $name on 127.0.0.1:$port"
    start_detached "$pidfile" "$logfile" "$@"
    local deadline=$((SECONDS + 30))
    until port_open "$port"; do
        if ! live_pid "$pidfile" "$marker" >/dev/null; then
            tail -n 20 "$logfile" >&2 || true
            rm -f "$pidfile"
            die "$name exited during start (log: $logfile)"
        fi
        if ((SECONDS >= deadline)); then
            stop_pid_file "$pidfile" "$marker" "$name"
            die "$name not listening after 30 s (log: $logfile)"
        fi
        sleep 0.2
    done
}

# target_file FILE HOST:PORT: one file-based discovery entry.
target_file() {
    printf '# written by deploy/devstack.sh\n- targets: ["%s"]\n' "$2" >"$1.tmp"
    mv -f "$1.tmp" "$1"
}

# The shipped configuration with the dev interval, the shipped rules, and loopback targets.
prom_configure() {
    local shipped="$ROOT/deploy/prometheus"
    mkdir -p "$PROM_DIR/rules" "$PROM_DIR/targets" "$PROM_DIR/data"
    sed -E "s/^(  (scrape|evaluation)_interval:) .*/\1 $PROM_INTERVAL/" "$shipped/prometheus.yml" >"$PROM_DIR/prometheus.yml"
    grep -q "scrape_interval: $PROM_INTERVAL" "$PROM_DIR/prometheus.yml" || die "could not set the scrape interval in $PROM_DIR/prometheus.yml"
    rm -f "$PROM_DIR"/rules/*.rules.yml
    cp "$shipped"/rules/*.rules.yml "$PROM_DIR/rules/"
    target_file "$PROM_DIR/targets/fraud-scorer.yml" 127.0.0.1:9401
    target_file "$PROM_DIR/targets/fraud-monitoring.yml" 127.0.0.1:9402
    target_file "$PROM_DIR/targets/fraud-aggregator.yml" 127.0.0.1:9403
    target_file "$PROM_DIR/targets/fraud-trainer.yml" "127.0.0.1:$PUSH_PORT"
    target_file "$PROM_DIR/targets/prometheus.yml" "127.0.0.1:$PROM_PORT"
    target_file "$PROM_DIR/targets/alertmanager.yml" "127.0.0.1:$AM_PORT"
    promtool check config "$PROM_DIR/prometheus.yml" >"$STATE/promtool.log" 2>&1 ||
        { cat "$STATE/promtool.log" >&2; die "the Prometheus configuration does not check (log: $STATE/promtool.log)"; }
}

monitoring_up() {
    ensure_prometheus_installed
    # No persistence file: Debian's build defaults to one shared machine-wide, through which every stack on the
    # machine (and every earlier run) would see the others' pushed runs, failed test runs included.
    if ! push_running; then
        stop_pid_file "$PUSH_PID" "$PUSH_BIN" pushgateway
        start_server pushgateway "$PUSH_PID" "$PUSH_LOG" "$PUSH_PORT" "$PUSH_BIN" \
            "$PUSH_BIN" --web.listen-address="127.0.0.1:$PUSH_PORT" --persistence.file=""
    fi
    if ! am_running; then
        stop_pid_file "$AM_PID" "$AM_BIN" alertmanager
        mkdir -p "$AM_DIR/data"
        cp "$ROOT/deploy/alertmanager/alertmanager.yml" "$AM_DIR/alertmanager.yml"
        # No cluster listener: a single Alertmanager needs no gossip port.
        start_server alertmanager "$AM_PID" "$AM_LOG" "$AM_PORT" "$AM_BIN" \
            "$AM_BIN" --config.file="$AM_DIR/alertmanager.yml" --storage.path="$AM_DIR/data" \
            --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= \
            --web.external-url="http://127.0.0.1:$AM_PORT"
    fi
    if prom_running; then
        log "prometheus already running on 127.0.0.1:$PROM_PORT"
        return 0
    fi
    stop_pid_file "$PROM_PID" "$PROM_BIN" prometheus
    prom_configure
    # --web.enable-lifecycle: POST /-/reload re-reads configuration and rules (tests use it).
    start_server prometheus "$PROM_PID" "$PROM_LOG" "$PROM_PORT" "$PROM_BIN" \
        "$PROM_BIN" --config.file="$PROM_DIR/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
        --storage.tsdb.retention.time=1d --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-lifecycle \
        --web.external-url="http://127.0.0.1:$PROM_PORT"
}

monitoring_down() {
    stop_pid_file "$PROM_PID" "$PROM_BIN" prometheus
    stop_pid_file "$AM_PID" "$AM_BIN" alertmanager
    stop_pid_file "$PUSH_PID" "$PUSH_BIN" pushgateway
    rm -rf "$PROM_DIR" "$AM_DIR" "$PROM_LOG" "$AM_LOG" "$PUSH_LOG" "$STATE/promtool.log"
}

# What the tests use to check deploy files: docker-compose (validates docker-compose.yml without an engine) and the
# TypeScript compiler with Grafana's dashboard types (validates grafana/dashboards/*.json).
tools() {
    command -v docker-compose >/dev/null || apt_install docker-compose
    if [[ ! -x "$GRAFANA_TOOLS/node_modules/.bin/tsc" || ! -d "$GRAFANA_TOOLS/node_modules/@grafana/schema" ]]; then
        command -v npm >/dev/null || die "npm not found (apt-get install npm)"
        mkdir -p "$STATE"
        log "installing the TypeScript compiler and @grafana/schema (npm ci)"
        npm ci --prefix "$GRAFANA_TOOLS" --no-audit --no-fund --loglevel=error >"$STATE/grafana-tools-install.log" 2>&1 ||
            { tail -n 30 "$STATE/grafana-tools-install.log" >&2; die "npm ci failed (log: $STATE/grafana-tools-install.log)"; }
    fi
}

# ---------------------------------------------------------------- announcement keys

# The dev key pair that signs model announcements: the trainer signs with the private key, scorers trust only the
# public one (an unsigned or foreign announcement is refused). Made once with OpenSSL (the same PEM formats as
# `trainer keys`), kept across `down` so models announced earlier stay trusted; a production key comes from a Secret.
KEYS_DIR="$STATE/keys"
PRIVATE_KEY="$KEYS_DIR/announce.key"
PUBLIC_KEY="$KEYS_DIR/announce.pub"

keys_up() {
    [[ -s "$PRIVATE_KEY" && -s "$PUBLIC_KEY" ]] && return 0
    command -v openssl >/dev/null || apt_install openssl
    log "generating the dev announcement key pair ($KEYS_DIR)"
    mkdir -p "$KEYS_DIR"
    chmod 700 "$KEYS_DIR"
    (umask 077 && openssl genpkey -algorithm ed25519 -out "$PRIVATE_KEY.tmp") || die "openssl could not generate an Ed25519 key"
    openssl pkey -in "$PRIVATE_KEY.tmp" -pubout -out "$PUBLIC_KEY" || die "openssl could not derive the public key"
    mv -f "$PRIVATE_KEY.tmp" "$PRIVATE_KEY"
}

# ---------------------------------------------------------------- environment

print_env() {
    local pg="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DATABASE;Timeout=5" bootstrap
    echo "# dev stack environment (deploy/devstack.sh); source this file"
    if kafka_running; then
        bootstrap="$(<"$KAFKA_BOOTSTRAP_FILE")"
        echo "export FRAUD_KAFKA_BOOTSTRAP='$bootstrap'"
        echo "export Kafka__BootstrapServers='$bootstrap'"
    fi
    if pg_running; then
        echo "export FRAUD_PG='$pg'"
        echo "export Postgres__ConnectionString='$pg'"
    fi
    if s3_running; then
        echo "export FRAUD_S3_URL='http://127.0.0.1:$S3_PORT'"
        echo "export FRAUD_S3_BUCKET='$S3_BUCKET'"
        # s3rver's fixed credentials.
        echo "export FRAUD_S3_ACCESS_KEY='S3RVER'"
        echo "export FRAUD_S3_SECRET_KEY='S3RVER'"
    fi
    if prom_running; then
        echo "export FRAUD_PROMETHEUS_URL='http://127.0.0.1:$PROM_PORT'"
        # Where the dev Prometheus reads its targets and rules (tests add targets and reload).
        echo "export FRAUD_PROMETHEUS_DIR='$PROM_DIR'"
    fi
    if am_running; then
        echo "export FRAUD_ALERTMANAGER_URL='http://127.0.0.1:$AM_PORT'"
    fi
    if [[ -s "$PRIVATE_KEY" && -s "$PUBLIC_KEY" ]]; then
        echo "export Signing__PrivateKeyFile='$PRIVATE_KEY'"
        echo "export Trust__PublicKeyFiles__0='$PUBLIC_KEY'"
    fi
    if push_running; then
        echo "export FRAUD_PUSHGATEWAY_URL='http://127.0.0.1:$PUSH_PORT'"
        echo "export Pushgateway__Url='http://127.0.0.1:$PUSH_PORT'"
    fi
}

write_env() {
    print_env >"$ENV_FILE.tmp"
    mv -f "$ENV_FILE.tmp" "$ENV_FILE"
}

status() {
    local healthy=0
    if kafka_running; then
        echo "kafka     running  pid $(<"$KAFKA_PID")  $(<"$KAFKA_BOOTSTRAP_FILE")"
    elif [[ -f "$KAFKA_PID" ]]; then
        echo "kafka     DEAD     (log: $KAFKA_LOG)"
        healthy=1
    else
        echo "kafka     stopped"
    fi
    if pg_running; then
        echo "postgres  running  127.0.0.1:$PG_PORT  data $(<"$PG_BASE_FILE")/pg"
    elif [[ -f "$PG_BASE_FILE" ]]; then
        echo "postgres  DEAD     (log: $(<"$PG_BASE_FILE")/pg.log)"
        healthy=1
    else
        echo "postgres  stopped"
    fi
    if s3_running; then
        echo "s3        running  pid $(<"$S3_PID")  http://127.0.0.1:$S3_PORT  bucket $S3_BUCKET"
    elif [[ -f "$S3_PID" ]]; then
        echo "s3        DEAD     (log: $S3_LOG)"
        healthy=1
    else
        echo "s3        stopped"
    fi
    local name pidfile marker port
    for name in prometheus alertmanager pushgateway; do
        case "$name" in
        prometheus) pidfile="$PROM_PID" marker="$PROM_BIN" port="$PROM_PORT" ;;
        alertmanager) pidfile="$AM_PID" marker="$AM_BIN" port="$AM_PORT" ;;
        pushgateway) pidfile="$PUSH_PID" marker="$PUSH_BIN" port="$PUSH_PORT" ;;
        esac
        if live_pid "$pidfile" "$marker" >/dev/null && port_open "$port"; then
            printf '%-12s running  pid %s  http://127.0.0.1:%s\n' "$name" "$(<"$pidfile")" "$port"
        elif [[ -f "$pidfile" ]]; then
            printf '%-12s DEAD     (log: %s/%s.log)\n' "$name" "$STATE" "$name"
            healthy=1
        else
            printf '%-12s stopped\n' "$name"
        fi
    done
    return "$healthy"
}

# ---------------------------------------------------------------- main

cmd="${1:-}"
[[ -n "$cmd" ]] || usage
shift

case "$cmd" in
up)
    want_kafka=1 want_pg=1 want_s3=1 want_prometheus=1
    for arg in "$@"; do
        case "$arg" in
        --no-kafka) want_kafka=0 ;;
        --no-s3) want_s3=0 ;;
        --no-postgres | --no-pg) want_pg=0 ;;
        --no-prometheus) want_prometheus=0 ;;
        *) usage ;;
        esac
    done
    mkdir -p "$STATE"
    pick_monitoring_ports
    printf 'PG_PORT=%s\nKAFKA_PORT=%s\nKAFKA_BROKERS=%s\nS3_PORT=%s\nPROM_PORT=%s\nAM_PORT=%s\nPUSH_PORT=%s\n' \
        "$PG_PORT" "$KAFKA_PORT" "$KAFKA_BROKERS" "$S3_PORT" "$PROM_PORT" "$AM_PORT" "$PUSH_PORT" >"$PORTS_FILE"
    # One failure stops the rest; what did start keeps running, and `down` ends it.
    keys_up
    if ((want_pg)); then pg_up; fi
    if ((want_kafka)); then
        kafka_up
        ensure_kcat
    fi
    if ((want_s3)); then s3_up; fi
    if ((want_prometheus)); then monitoring_up; fi
    write_env
    cat "$ENV_FILE"
    ;;
down)
    [[ $# -eq 0 ]] || usage
    monitoring_down
    kafka_down
    s3_down
    pg_down
    rm -f "$ENV_FILE" "$ENV_FILE.tmp" "$PORTS_FILE"
    log "stopped"
    ;;
status)
    [[ $# -eq 0 ]] || usage
    status
    ;;
env)
    [[ $# -eq 0 ]] || usage
    print_env
    ;;
tools)
    [[ $# -eq 0 ]] || usage
    tools
    ;;
-h | --help | help) usage ;;
*) usage ;;
esac
