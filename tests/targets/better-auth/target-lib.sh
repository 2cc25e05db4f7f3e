# The Better Auth target on a database of its own, started as the tests judge it. Sourced by
# check-target and judge-target, which define fail, expect and expect_re, $here, $source_dir,
# $work and $mode (scrypt | bcrypt | split), and clean up pgdir, dbname/admin_url and start_pid.
#
# ba_start: makes the database (in the cluster AUTHCONFORM_TEST_PG names, or a throwaway one),
# starts the target in $mode and sets auth and api (base URLs), db_url and start_pid.
# BETTER_AUTH_SECRET is the caller's when exported as BA_SECRET, a random one otherwise; the
# words of BA_ARGS are added to the mode's options. With BA_TLS=1 both origins serve HTTPS under
# a certificate for 127.0.0.1 from a CA made for this run ($work/tls/ca.pem, which sets
# tls_ca; the CA's key is removed once the certificate is signed), and auth and api are https.
ba_tls_material() {
    local d="$work/tls"
    mkdir -p "$d"
    (
        umask 077
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
            -subj /CN=authconform-test-ca -keyout "$d/ca.key" -out "$d/ca.pem" \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
            && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=127.0.0.1 \
                -keyout "$d/server.key" -out "$d/server.csr" \
            && printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' \
                >"$d/server.ext" \
            && openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
                -CAcreateserial -days 2 -extfile "$d/server.ext" -out "$d/server.pem"
    ) >"$d/openssl.log" 2>&1 || fail "cannot make the TLS certificate: $(tail -n 3 "$d/openssl.log")"
    rm -f "$d/ca.key"
    tls_ca="$d/ca.pem"
}

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
    local scheme=http
    tls_ca=
    if [ "${BA_TLS:-0}" = 1 ]; then
        ba_tls_material
        scheme=https
        args+=(--tls-cert "$work/tls/server.pem" --tls-key "$work/tls/server.key" --tls-ca "$tls_ca")
    fi
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
    expect_re "$auth" "^$scheme://127\\.0\\.0\\.1:[0-9]+\$" "auth URL"
    expect_re "$api" "^$scheme://127\\.0\\.0\\.1:[0-9]+\$" "API URL"
    if [ "$mode" = split ]; then
        [ "$auth" != "$api" ] || fail "split: the API shares the auth server's port"
    else
        expect "$api" "$auth" "API URL without --api-port"
    fi
}
