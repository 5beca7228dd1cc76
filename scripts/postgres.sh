# A throwaway PostgreSQL server for the tests: its own data folder, a Unix socket and 127.0.0.1
# on a free port, stopped by stop_test_postgres. Source it; do not execute it.
# Sets SKEPTIC_TEST_POSTGRES (the administrator's connection string, over the socket),
# SKEPTIC_TEST_POSTGRES_PORT (for logins that use a password over TCP) and
# SKEPTIC_TEST_POSTGRES_CA (the certificate of the server's TLS, made here and trusted by nobody
# else, for the sslmode tests).

start_test_postgres() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$bin/initdb" ] || { echo "skeptic: PostgreSQL is not installed (scripts/setup.sh)" >&2; return 1; }
  PG_WORK="$(mktemp -d /tmp/skeptic-pg.XXXXXX)"
  chmod 755 "$PG_WORK"
  # PostgreSQL refuses to run as root: as root, the server runs as the postgres user.
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_WORK"
    as=(runuser -u postgres --)
  fi
  PG_AS=("${as[@]}")
  PG_BIN="$bin"
  local port
  port="$("$PYTHON_BIN" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "${as[@]}" "$bin/initdb" -D "$PG_WORK/data" -U skeptic_admin --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_WORK/initdb.log" 2>&1 \
    || { cat "$PG_WORK/initdb.log" >&2; return 1; }
  # A self-signed certificate for 127.0.0.1, so that TLS (sslmode) is tested for real.
  openssl req -new -x509 -days 2 -nodes -subj "/CN=127.0.0.1" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$PG_WORK/server.key" \
    -out "$PG_WORK/server.crt" >"$PG_WORK/openssl.log" 2>&1 \
    || { cat "$PG_WORK/openssl.log" >&2; return 1; }
  chmod 600 "$PG_WORK/server.key"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_WORK/server.key" "$PG_WORK/server.crt"
  local options="-k $PG_WORK -p $port -c listen_addresses=127.0.0.1 -c fsync=off"
  options+=" -c max_connections=60 -c ssl=on -c ssl_cert_file=$PG_WORK/server.crt"
  options+=" -c ssl_key_file=$PG_WORK/server.key"
  "${as[@]}" "$bin/pg_ctl" -D "$PG_WORK/data" -l "$PG_WORK/server.log" -w -t 30 start \
    -o "$options" >/dev/null || { cat "$PG_WORK/server.log" >&2; return 1; }
  export SKEPTIC_TEST_POSTGRES="host=$PG_WORK port=$port user=skeptic_admin dbname=postgres"
  export SKEPTIC_TEST_POSTGRES_PORT="$port"
  export SKEPTIC_TEST_POSTGRES_CA="$PG_WORK/server.crt"
}

stop_test_postgres() {
  [ -n "${PG_WORK:-}" ] || return 0
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_WORK"
}
