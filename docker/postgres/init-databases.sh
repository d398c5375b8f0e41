#!/bin/sh
# First start only (empty data volume): one database per service, owned by POSTGRES_USER. Each
# service creates and migrates its own schema in it at startup.
set -eu
for db in "${USHER_USERS_DB_NAME:-users}" "${USHER_AUTH_DB_NAME:-auth}"; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')\gexec
SQL
done
