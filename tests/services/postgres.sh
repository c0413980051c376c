#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the Postgres tests (tests/postgres/).
#
# Installs PostgreSQL from the Debian packages when it is missing (needs root), runs its
# own cluster on 127.0.0.1 so it never touches a system cluster, creates a role and a
# database for the tests, and prints the variables to export:
#
#     eval "$(tests/services/postgres.sh)"
#
# Idempotent: a second call finds the server running and only prints the variables.
# Settings (all optional): PULSE_PG_PORT (55432), PULSE_PG_USER (pulse),
# PULSE_PG_PASSWORD (pulse), PULSE_PG_DATABASE (pulse), PULSE_PG_CLUSTER_DIR
# (/tmp/customer-pulse-postgres).
set -euo pipefail

port="${PULSE_PG_PORT:-55432}"
user="${PULSE_PG_USER:-pulse}"
password="${PULSE_PG_PASSWORD:-pulse}"
database="${PULSE_PG_DATABASE:-pulse}"
cluster_dir="${PULSE_PG_CLUSTER_DIR:-/tmp/customer-pulse-postgres}"

log() { echo "postgres.sh: $*" >&2; }

find_bindir() {
    # Debian installs the server binaries under /usr/lib/postgresql/<major>/bin.
    local candidate
    candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n "$candidate" && -x "$candidate/initdb" ]]; then
        echo "$candidate"
    fi
}

bindir="$(find_bindir)"
if [[ -z "$bindir" ]]; then
    if [[ "$(id -u)" -ne 0 ]]; then
        log "PostgreSQL is not installed and installing it needs root (apt-get)"
        exit 1
    fi
    log "installing PostgreSQL from the Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    # Tests use their own cluster: the package need not create and start its "main" one.
    mkdir -p /etc/postgresql-common
    if [[ ! -f /etc/postgresql-common/createcluster.conf ]]; then
        echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
    fi
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql postgresql-client >&2
    bindir="$(find_bindir)"
fi

# The server refuses to run as root: run it as the unprivileged postgres account.
run_as_server_user() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    if [[ ! -f "$cluster_dir/data/PG_VERSION" ]]; then
        log "creating a cluster in $cluster_dir"
        mkdir -p "$cluster_dir"
        if [[ "$(id -u)" -eq 0 ]]; then
            chown postgres:postgres "$cluster_dir"
        fi
        run_as_server_user "$bindir/initdb" --pgdata "$cluster_dir/data" --auth-local trust \
            --auth-host scram-sha-256 --username postgres --encoding UTF8 --no-locale >&2
    fi
    log "starting the server on 127.0.0.1:$port"
    # fsync off: a test server that is thrown away needs no durability, only speed.
    run_as_server_user "$bindir/pg_ctl" --pgdata "$cluster_dir/data" --wait \
        --log "$cluster_dir/server.log" \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster_dir -c fsync=off" start >&2
fi

# Role and database for the tests (over the local socket, as the superuser).
psql_admin() {
    run_as_server_user "$bindir/psql" -h "$cluster_dir" -p "$port" -U postgres -d postgres \
        -v ON_ERROR_STOP=1 -qtA "$@"
}
psql_admin -v user="$user" -v password="$password" <<'SQL' >&2
select format('create role %I login createdb password %L', :'user', :'password')
where not exists (select from pg_roles where rolname = :'user')
\gexec
select format('alter role %I password %L', :'user', :'password')
\gexec
SQL
psql_admin -v user="$user" -v database="$database" <<'SQL' >&2
select format('create database %I owner %I', :'database', :'user')
where not exists (select from pg_database where datname = :'database')
\gexec
SQL

cat <<VARS
export PULSE_PG_HOST=127.0.0.1
export PULSE_PG_PORT=$port
export PULSE_PG_USER=$user
export PULSE_PG_PASSWORD=$password
export PULSE_PG_DATABASE=$database
VARS
