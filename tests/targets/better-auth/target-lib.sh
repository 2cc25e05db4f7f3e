# The Better Auth target on a database of its own, started as the tests judge it. Sourced by
# check-target and judge-target, which define fail, expect and expect_re, $here, $source_dir,
# $work and $mode (scrypt | bcrypt | split), and clean up pgdir, dbname/admin_url and start_pid.
#
# ba_start: makes the database (in the cluster AUTHCONFORM_TEST_PG names, or a throwaway one),
# starts the target in $mode and sets auth and api (base URLs), db_url and start_pid.
# BETTER_AUTH_SECRET is the caller's when exported as BA_SECRET, a random one otherwise; the
# words of BA_ARGS are added to the mode's options.
ba_start() {
    # A database of its own.
    if [ -n "${AUTHCONFORM_TEST_PG:-}" ]; then
        [ -f "$AUTHCONFORM_TEST_PG" ] || fail "no test cluster: $AUTHCONFORM_TEST_PG is missing"
        read -r _ admin_url <"$AUTHCONFORM_TEST_PG"
    else
        pgdir=$(mktemp -d "${TMPDIR:-/tmp}/ba-check-pg.XXXXXX")
        chmod 755 "$pgdir"
        admin_url=$("$source_dir/scripts/pg-throwaway" start "$pgdir")
    fi
    dbname="ba_${mode}_$$_$RANDOM"
    psql "$admin_url" -qAtc "CREATE DATABASE $dbname" >/dev/null || fail "cannot create database $dbname"
    db_url="${admin_url%/*}/$dbname"

    # Start it as the harness will, whatever the caller's environment holds.
    unset PORT API_PORT HASH ORIGINS RATE_LIMIT QUIET BETTER_AUTH_SECRET
    local secret_env=()
    [ -n "${BA_SECRET:-}" ] && secret_env=(BETTER_AUTH_SECRET="$BA_SECRET")
    trusted=http://localhost:3000
    case "$mode" in
        scrypt) args=() ;;
        bcrypt) args=(--hash bcrypt) ;;
        split)  args=(--api-port 0 --origin "$trusted") ;;
    esac
    # shellcheck disable=SC2206 # words on purpose
    [ -n "${BA_ARGS:-}" ] && args+=($BA_ARGS)
    env "${secret_env[@]}" DATABASE_URL="$db_url" "$here/start" --url-file "$work/url" "${args[@]}" \
        >"$work/start.out" 2>"$work/server.log" &
    start_pid=$!
    for _ in $(seq 1 300); do
        [ -s "$work/url" ] && break
        kill -0 "$start_pid" 2>/dev/null || fail "the target did not start"
        sleep 0.1
    done
    [ -s "$work/url" ] || fail "the target did not answer within 30 s"
    read -r word auth _ api <"$work/url"
    expect "$word" listening "first word of the start line"
    expect_re "$auth" '^http://127\.0\.0\.1:[0-9]+$' "auth URL"
    expect_re "$api" '^http://127\.0\.0\.1:[0-9]+$' "API URL"
    if [ "$mode" = split ]; then
        [ "$auth" != "$api" ] || fail "split: the API shares the auth server's port"
    else
        expect "$api" "$auth" "API URL without --api-port"
    fi
}
