#!/usr/bin/env bash
# Makes sure a PostgreSQL server for the store's tests accepts connections on 127.0.0.1, and
# prints one line on stdout for the caller to evaluate:
#
#   eval "$(bash scripts/ensure-postgres.sh)"
#
# which sets NEARMISS_TEST_DATABASE_URL. A server already accepting connections on port 5432, with
# a database `test` that user postgres or root can open, is used as it is. Otherwise the script
# installs the server from Debian's packages if it is missing (root only), creates a cluster with
# trust authentication in $NEARMISS_PG_DIR (default /tmp/nearmiss-postgres), starts it on a free
# port of 127.0.0.1 and creates the database `test`. Running it again reuses that cluster.
# Diagnostics go to stderr.
#
#   bash scripts/ensure-postgres.sh --stop   stops the cluster this script started and deletes it
#
# Environment:
#   NEARMISS_PG_PORT_PROBE  port probed for an existing server (default 5432); point it at a
#                           closed port to force the script to start its own cluster
#   NEARMISS_PG_DIR         directory of the script's own cluster (default /tmp/nearmiss-postgres)
#   NEARMISS_PG_FIRST_PORT  first port tried for the script's own cluster (default 55432)

set -euo pipefail

probe_port="${NEARMISS_PG_PORT_PROBE:-5432}"
cluster_dir="${NEARMISS_PG_DIR:-/tmp/nearmiss-postgres}"
first_port="${NEARMISS_PG_FIRST_PORT:-55432}"
export PGCONNECT_TIMEOUT=5

log() {
    printf 'ensure-postgres: %s\n' "$*" >&2
}

fail() {
    log "$*"
    exit 1
}

# Prints the newest /usr/lib/postgresql/N/bin that contains the program $1.
find_bin_dir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/$1" ]]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

# NOTE: this branch, and the one that creates the postgres system user, have not been run.
install_server() {
    if [[ "$(id -u)" -ne 0 ]]; then
        fail "PostgreSQL is not installed and only root can install it: run 'apt-get install -y postgresql' as root"
    fi
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
}

# Runs a command as the owner of the script's cluster: initdb and postgres refuse to run as root.
as_cluster_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Tells whether something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

print_export() {
    echo "export NEARMISS_TEST_DATABASE_URL=postgres://$1@127.0.0.1:$2/test"
}

# Prints the first of postgres and root that can open the database `test` on port $1.
usable_user() {
    local user
    for user in postgres root; do
        if "$bin_dir/psql" -w -X -q -h 127.0.0.1 -p "$1" -U "$user" -d test -Atc 'SELECT 1' >/dev/null 2>&1; then
            echo "$user"
            return 0
        fi
    done
    return 1
}

stop_own_cluster() {
    if [[ ! -d "$cluster_dir/data" ]]; then
        log "no cluster in $cluster_dir; nothing to stop"
        return 0
    fi
    if [[ -f "$cluster_dir/data/postmaster.pid" ]]; then
        as_cluster_owner "$bin_dir/pg_ctl" -D "$cluster_dir/data" -m fast -s -w stop >&2
    fi
    rm -rf "$cluster_dir"
    log "stopped and deleted the cluster in $cluster_dir"
}

if ! bin_dir="$(find_bin_dir pg_isready)"; then
    install_server
    bin_dir="$(find_bin_dir pg_isready)" || fail "pg_isready not found under /usr/lib/postgresql after installing"
fi

if [[ "${1:-}" == "--stop" ]]; then
    stop_own_cluster
    exit 0
fi

if "$bin_dir/pg_isready" -q -h 127.0.0.1 -p "$probe_port"; then
    if user="$(usable_user "$probe_port")"; then
        log "using the PostgreSQL on 127.0.0.1:$probe_port as user $user"
        print_export "$user" "$probe_port"
        exit 0
    fi
    log "PostgreSQL on 127.0.0.1:$probe_port accepts connections, but neither postgres nor root can open database test; starting a cluster of our own"
fi

if ! bin_dir="$(find_bin_dir initdb)"; then
    install_server
    bin_dir="$(find_bin_dir initdb)" || fail "initdb not found under /usr/lib/postgresql after installing"
fi

if [[ "$(id -u)" -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    log "creating the system user postgres to own the cluster"
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

data_dir="$cluster_dir/data"
port_file="$cluster_dir/port"

if [[ ! -f "$data_dir/PG_VERSION" ]]; then
    log "creating a cluster in $data_dir"
    rm -rf "$cluster_dir"
    mkdir -p "$cluster_dir"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres: "$cluster_dir"
    fi
    chmod 700 "$cluster_dir"
    if ! as_cluster_owner "$bin_dir/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$cluster_dir/initdb.log" 2>&1; then
        cat "$cluster_dir/initdb.log" >&2
        fail "initdb failed in $data_dir"
    fi
fi

port=""
if [[ -f "$port_file" ]]; then
    port="$(cat "$port_file")"
fi

if [[ -n "$port" ]] && "$bin_dir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    log "the cluster in $data_dir already runs on port $port"
else
    if [[ -z "$port" ]] || port_in_use "$port"; then
        port="$first_port"
        while port_in_use "$port"; do
            port=$((port + 1))
        done
    fi
    log "starting the cluster in $data_dir on 127.0.0.1:$port"
    as_cluster_owner "$bin_dir/pg_ctl" -D "$data_dir" -l "$cluster_dir/server.log" -s -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$cluster_dir" start >&2 \
        || fail "the cluster did not start; see $cluster_dir/server.log"
    echo "$port" >"$port_file"
fi

exists="$("$bin_dir/psql" -w -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = 'test'")"
if [[ "$exists" != "1" ]]; then
    "$bin_dir/createdb" -w -h 127.0.0.1 -p "$port" -U postgres test
    log "created database test"
fi

print_export postgres "$port"
