#!/bin/sh
# First start only (empty data volume), as the superuser: one login role and one database per
# service, and nothing more. Each role may connect to its own database only and owns its own schema
# there (users.*, auth.*), so the users role cannot read auth.signing_keys and the auth role cannot
# read users.*. The services create their tables in their schema at startup (migrations run as the
# role, under an advisory lock). When both services share one database (equal names), the schemas
# still keep them apart. Safe to run again: roles get their current password, nothing is dropped.
set -eu
: "${USHER_USERS_DB_PASS:?the users database role needs a password (USHER_USERS_DB_PASS)}"
: "${USHER_AUTH_DB_PASS:?the auth database role needs a password (USHER_AUTH_DB_PASS)}"

setup() { # database role password schema
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set db="$1" --set role="$2" --set pass="$3" <<'SQL'
SELECT format('CREATE ROLE %I', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')\gexec
ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'pass';
SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')\gexec
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
-- CREATE: the service runs CREATE SCHEMA IF NOT EXISTS and CREATE EXTENSION pg_trgm (trusted) itself
GRANT CONNECT, TEMPORARY, CREATE ON DATABASE :"db" TO :"role";
SQL
  psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$POSTGRES_USER" --dbname "$1" \
    --set role="$2" --set schema="$4" <<'SQL'
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER SCHEMA :"schema" OWNER TO :"role";
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
SQL
}

setup "${USHER_USERS_DB_NAME:-users}" "${USHER_USERS_DB_USER:-usher_users}" "$USHER_USERS_DB_PASS" users
setup "${USHER_AUTH_DB_NAME:-auth}" "${USHER_AUTH_DB_USER:-usher_auth}" "$USHER_AUTH_DB_PASS" auth
