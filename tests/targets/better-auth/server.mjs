// A Better Auth server for authconform to judge: the real `better-auth` package with
// email+password, the jwt plugin (EdDSA by default, JWKS) and the bearer plugin on PostgreSQL, plus a
// tasks API (/api/users/{user_id}/tasks) that verifies the plugin's JWTs against its JWKS.
//
//   DATABASE_URL=... BETTER_AUTH_SECRET=... node server.mjs [options]
//
// Options (each also as an environment variable):
//   --port N          PORT         auth server port; 0 = any free port (default 0)
//   --api-port N      API_PORT     serve the tasks API on a port of its own (0 = any free);
//                                  without it the API shares the auth server's origin
//   --hash H          HASH         scrypt (the library's default) or bcrypt (cost 12, bcryptjs)
//   --origin URL      ORIGINS      a trusted origin (repeatable; ORIGINS is comma-separated):
//                                  Better Auth's trustedOrigins, and the origins CORS answers
//   --no-rate-limit   RATE_LIMIT=off  turn Better Auth's rate limiter off (on by default)
//   --behind-proxy    BEHIND_PROXY=1  as behind a reverse proxy that sets X-Forwarded-For to the
//                                  client's address, replacing any the client sent (nginx:
//                                  proxy_set_header X-Forwarded-For $remote_addr): Better Auth's
//                                  rate limiter then counts per client address. Without it, a
//                                  request reaches Better Auth with the client's own header or
//                                  none, and Better Auth 1.3 does not limit a request without one
//   --limit-window S  LIMIT_WINDOW  Better Auth's limit on /sign-in/* and /sign-up/* becomes 3
//                                  requests per S seconds (its rateLimit.customRules) instead
//                                  of its default 3 per 10 s: a deployment with a limit of its own
//   --plain-jwks      PLAIN_JWKS=1  the jwt plugin stores its private key unencrypted (its
//                                  jwks.disablePrivateKeyEncryption): an operator can read it
//                                  from the jwks table and hand it to the harness (--token-key)
//   --jwt-alg ALG     JWT_ALG      the alg the jwt plugin signs with (its jwks.keyPairConfig):
//                                  EdDSA (Ed25519, the plugin's default), ES256, ES512 (P-521),
//                                  RS256 or PS256 (RSA 2048), the algs Better Auth 1.3 offers;
//                                  the tasks API accepts that alg only
//   --tls-cert FILE   TLS_CERT     serve both origins over HTTPS with this certificate chain
//   --tls-key FILE    TLS_KEY      and this key (PEM; both or neither), with Node's default TLS
//                                  settings (TLS 1.2 and 1.3, no HSTS): a deployment that
//                                  terminates TLS in Node. A private CA must be trusted through
//                                  NODE_EXTRA_CA_CERTS (the API fetches the auth origin's JWKS)
//   --quiet           QUIET=1      no request log
//   (EXIT_WITH_PARENT=1 in the environment: stop when the parent process goes away; the
//   runner `start` sets it)
//
// Listens on 127.0.0.1 only. The first line on stdout, once everything answers, is
//   listening http://127.0.0.1:AUTH_PORT api http://127.0.0.1:API_PORT
// (the same URL twice when the API shares the auth origin). SIGTERM/SIGINT stop it (exit 0).
// Exit 2: bad option or configuration; 1: start-up failure (database, port).

import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import { parseArgs } from "node:util";

process.env.NODE_ENV = "production";
delete process.env.BETTER_AUTH_TELEMETRY;
delete process.env.BETTER_AUTH_URL;

const HOST = "127.0.0.1";
const AUTH_BASE_PATH = "/api/auth";
const BCRYPT_COST = 12;
const MAX_BODY = 65536;

function die(code, message) {
    process.stderr.write(`better-auth-target: ${message}\n`);
    process.exit(code);
}

function parsePort(name, value) {
    if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) die(2, `${name}: not a port: ${value}`);
    return Number(value);
}

let args;
try {
    args = parseArgs({
        options: {
            port: { type: "string" },
            "api-port": { type: "string" },
            hash: { type: "string" },
            origin: { type: "string", multiple: true },
            "no-rate-limit": { type: "boolean" },
            "behind-proxy": { type: "boolean" },
            "plain-jwks": { type: "boolean" },
            "jwt-alg": { type: "string" },
            "limit-window": { type: "string" },
            "tls-cert": { type: "string" },
            "tls-key": { type: "string" },
            quiet: { type: "boolean" },
            help: { type: "boolean" },
        },
        strict: true,
        allowPositionals: false,
    }).values;
} catch (e) {
    die(2, e.message);
}
if (args.help) {
    process.stdout.write("usage: node server.mjs [--port N] [--api-port N] [--hash scrypt|bcrypt] " +
        "[--origin URL]... [--no-rate-limit] [--behind-proxy] [--plain-jwks] [--jwt-alg ALG] [--limit-window S] " +
        "[--tls-cert FILE --tls-key FILE] [--quiet]\n");
    process.exit(0);
}

const config = {
    port: parsePort("--port", args.port ?? process.env.PORT ?? "0"),
    apiPort: (args["api-port"] ?? process.env.API_PORT) !== undefined
        ? parsePort("--api-port", args["api-port"] ?? process.env.API_PORT) : null,
    hash: args.hash ?? process.env.HASH ?? "scrypt",
    origins: [...(args.origin ?? []),
              ...(process.env.ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean)],
    rateLimit: !(args["no-rate-limit"] || process.env.RATE_LIMIT === "off"),
    quiet: Boolean(args.quiet || process.env.QUIET === "1"),
    behindProxy: Boolean(args["behind-proxy"] || process.env.BEHIND_PROXY === "1"),
    plainJwks: Boolean(args["plain-jwks"] || process.env.PLAIN_JWKS === "1"),
    jwtAlg: args["jwt-alg"] ?? process.env.JWT_ALG ?? "EdDSA",
    limitWindow: args["limit-window"] ?? process.env.LIMIT_WINDOW ?? null,
    tlsCert: args["tls-cert"] ?? process.env.TLS_CERT ?? null,
    tlsKey: args["tls-key"] ?? process.env.TLS_KEY ?? null,
};
if ((config.tlsCert === null) !== (config.tlsKey === null)) die(2, "--tls-cert and --tls-key: give both or neither");
let tls = null;
if (config.tlsCert !== null) {
    try {
        tls = { cert: fs.readFileSync(config.tlsCert), key: fs.readFileSync(config.tlsKey) };
    } catch (e) {
        die(2, `cannot read the TLS certificate or key: ${e.message}`);
    }
}
const SCHEME = tls ? "https" : "http";
function createServer(handler) {
    return tls ? https.createServer(tls, handler) : http.createServer(handler);
}
if (config.limitWindow !== null) {
    if (!/^\d{1,4}$/.test(config.limitWindow) || Number(config.limitWindow) < 1)
        die(2, `--limit-window: whole seconds from 1, not ${config.limitWindow}`);
    config.limitWindow = Number(config.limitWindow);
}
if (!["scrypt", "bcrypt"].includes(config.hash)) die(2, `--hash: scrypt or bcrypt, not ${config.hash}`);
const JWT_ALGS = ["EdDSA", "ES256", "ES512", "RS256", "PS256"];
if (!JWT_ALGS.includes(config.jwtAlg)) die(2, `--jwt-alg: ${JWT_ALGS.join(", ")}, not ${config.jwtAlg}`);
for (const o of config.origins) {
    let u;
    try { u = new URL(o); } catch { die(2, `--origin: not a URL: ${o}`); }
    if (u.origin !== o.replace(/\/$/, "")) die(2, `--origin: not an origin (scheme://host[:port]): ${o}`);
}
config.origins = config.origins.map((o) => new URL(o).origin);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) die(2, "DATABASE_URL is not set");
const secret = process.env.BETTER_AUTH_SECRET;
if (!secret || secret.length < 32) die(2, "BETTER_AUTH_SECRET must be set, 32 characters or more");
delete process.env.BETTER_AUTH_SECRET;

// The libraries read NODE_ENV when they load, so they are imported after it is set.
const { betterAuth } = await import("better-auth");
const { getMigrations } = await import("better-auth/db");
const { jwt, bearer } = await import("better-auth/plugins");
const { toNodeHandler } = await import("better-auth/node");
const { createRemoteJWKSet, jwtVerify, errors: joseErrors } = await import("jose");
const pg = (await import("pg")).default;

const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
pool.on("error", (e) => process.stderr.write(`better-auth-target: database: ${e.message}\n`));

// ---------------------------------------------------------------------------------------------
// HTTP plumbing

function sendJson(res, status, body, headers = {}) {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, {
        ...(text ? { "Content-Type": "application/json" } : {}),
        "Cache-Control": "no-store",
        ...headers,
    });
    res.end(text);
}

// CORS for the trusted origins only (Better Auth itself sends no CORS headers; a deployment
// whose frontend lives on another origin puts a CORS layer in front of it, as this one).
function cors(req, res) {
    const origin = req.headers.origin;
    res.setHeader("Vary", "Origin");
    if (!origin || !config.origins.includes(origin)) return false;
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Credentials", "true");
    res.setHeader("Access-Control-Expose-Headers", "set-auth-token, set-auth-jwt");
    return true;
}

function preflight(req, res) {
    if (req.method !== "OPTIONS" || !req.headers["access-control-request-method"]) return false;
    if (!cors(req, res)) {
        sendJson(res, 403, { detail: "Origin not allowed" });
        return true;
    }
    res.writeHead(204, {
        "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
        "Access-Control-Allow-Headers": "Authorization, Content-Type",
        "Access-Control-Max-Age": "600",
    });
    res.end();
    return true;
}

function logged(handler) {
    return async (req, res) => {
        const start = process.hrtime.bigint();
        res.on("finish", () => {
            if (config.quiet) return;
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            const path = (req.url ?? "").split("?")[0];
            process.stderr.write(`http: ${req.method} ${path} ${res.statusCode} ${ms.toFixed(1)}ms\n`);
        });
        try {
            await handler(req, res);
        } catch (e) {
            process.stderr.write(`better-auth-target: ${req.method} ${(req.url ?? "").split("?")[0]}: ${e?.message ?? e}\n`);
            if (!res.headersSent) sendJson(res, 500, { detail: "Internal server error" });
            else res.destroy();
        }
    };
}

function listen(server, port) {
    return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, HOST, () => {
            server.off("error", reject);
            resolve(server.address().port);
        });
    });
}

// ---------------------------------------------------------------------------------------------
// Start: bind first (the base URL names the bound port), then build Better Auth and migrate.

let authHandler = null;   // set once ready
let apiHandler = null;

const authServer = createServer(logged(async (req, res) => {
    if (!authHandler) return sendJson(res, 503, { detail: "Starting" });
    return authHandler(req, res);
}));
const apiServer = config.apiPort === null ? null : createServer(logged(async (req, res) => {
    if (!apiHandler) return sendJson(res, 503, { detail: "Starting" });
    return apiHandler(req, res);
}));

let authPort, apiPort;
try {
    authPort = await listen(authServer, config.port);
    apiPort = apiServer ? await listen(apiServer, config.apiPort) : authPort;
} catch (e) {
    die(1, `cannot listen on ${HOST}: ${e.message}`);
}
const authUrl = `${SCHEME}://${HOST}:${authPort}`;
const apiUrl = `${SCHEME}://${HOST}:${apiPort}`;

let password;
if (config.hash === "bcrypt") {
    const bcrypt = (await import("bcryptjs")).default;
    password = {
        hash: (plain) => bcrypt.hash(plain, BCRYPT_COST),
        verify: ({ hash, password: plain }) => bcrypt.compare(plain, hash),
    };
}

const authOptions = {
    baseURL: authUrl,
    basePath: AUTH_BASE_PATH,
    secret,
    database: pool,
    emailAndPassword: { enabled: true, ...(password ? { password } : {}) },
    plugins: [jwt({
        jwks: {
            keyPairConfig: config.jwtAlg === "EdDSA" ? { alg: "EdDSA", crv: "Ed25519" } : { alg: config.jwtAlg },
            ...(config.plainJwks ? { disablePrivateKeyEncryption: true } : {}),
        },
    }), bearer()],
    // Off by default outside production; forced here so it does not hang on NODE_ENV.
    rateLimit: {
        enabled: config.rateLimit,
        ...(config.limitWindow !== null ? {
            customRules: {
                "/sign-in/*": { window: config.limitWindow, max: 3 },
                "/sign-up/*": { window: config.limitWindow, max: 3 },
            },
        } : {}),
    },
    trustedOrigins: config.origins,
    telemetry: { enabled: false },   // 1.3 has no telemetry; later versions read this
    // Better Auth's log, uncoloured and on stderr (its default logger colours it and writes
    // non-error levels to stdout, whose first line `start` reads). Error objects by message only.
    logger: {
        log: (level, message, ...rest) => {
            const extra = rest.filter((a) => a instanceof Error).map((a) => `: ${a.message}`).join("");
            process.stderr.write(`better-auth: ${level}: ${message}${extra}\n`);
        },
    },
};

try {
    const { runMigrations } = await getMigrations(authOptions);
    await runMigrations();
    await pool.query(`CREATE TABLE IF NOT EXISTS task (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id text NOT NULL REFERENCES "user"(id) ON DELETE CASCADE,
        title varchar(200) NOT NULL,
        description text,
        completed boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query("CREATE INDEX IF NOT EXISTS task_user_id_idx ON task (user_id)");
} catch (e) {
    die(1, `database migration failed: ${e.message}`);
}

const auth = betterAuth(authOptions);
const betterAuthNode = toNodeHandler(auth);

// ---------------------------------------------------------------------------------------------
// Tasks API: Bearer JWT from GET /api/auth/token, verified against the JWKS.

const jwks = createRemoteJWKSet(new URL(`${authUrl}${AUTH_BASE_PATH}/jwks`));
const UNAUTHORIZED = { "WWW-Authenticate": "Bearer" };

async function authenticate(req) {
    const header = req.headers.authorization;
    if (!header || !/^Bearer [^\s]+$/i.test(header)) return { error: "Authentication required" };
    const token = header.slice(7);
    try {
        const { payload } = await jwtVerify(token, jwks, {
            algorithms: [config.jwtAlg],
            issuer: authUrl,
            audience: authUrl,
        });
        if (typeof payload.sub !== "string" || !payload.sub) return { error: "Invalid token" };
        return { sub: payload.sub };
    } catch (e) {
        if (e instanceof joseErrors.JWTExpired) return { error: "Token has expired" };
        return { error: "Invalid token" };
    }
}

function readBody(req) {
    return new Promise((resolve) => {
        const chunks = [];
        let size = 0;
        let over = false;
        req.on("data", (c) => {
            size += c.length;
            if (size > MAX_BODY) over = true;
            else chunks.push(c);
        });
        req.on("end", () => resolve(over ? { tooLarge: true } : { text: Buffer.concat(chunks).toString("utf8") }));
        req.on("error", () => resolve({ text: "" }));
    });
}

function taskOut(row) {
    return {
        id: row.id,
        user_id: row.user_id,
        title: row.title,
        description: row.description,
        completed: row.completed,
        created_at: row.created_at.toISOString(),
        updated_at: row.updated_at.toISOString(),
    };
}

// Validates a task body; `full` (POST, PUT) needs a title, PATCH takes any subset.
function taskFields(body, full) {
    if (body === null || typeof body !== "object" || Array.isArray(body)) return { error: "body: expected a JSON object" };
    const out = {};
    if ("title" in body) {
        if (typeof body.title !== "string" || body.title.trim().length === 0 || [...body.title].length > 200)
            return { error: "title: a string of 1 to 200 characters" };
        out.title = body.title;
    } else if (full) {
        return { error: "title: required" };
    }
    if ("description" in body) {
        if (body.description !== null && typeof body.description !== "string")
            return { error: "description: a string or null" };
        out.description = body.description;
    }
    if ("completed" in body) {
        if (typeof body.completed !== "boolean") return { error: "completed: true or false" };
        out.completed = body.completed;
    }
    return { fields: out };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TASKS_RE = /^\/api\/users\/([^/]+)\/tasks(?:\/([^/]+))?\/?$/;

async function tasksApi(req, res) {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/health") return sendJson(res, 200, { status: "ok" });
    const m = TASKS_RE.exec(path);
    if (!m) return sendJson(res, 404, { detail: "Not found" });
    const [, userId, taskId] = m;
    const allowed = taskId ? ["GET", "PUT", "PATCH", "DELETE"] : ["GET", "POST"];
    if (req.method === "OPTIONS") {
        res.writeHead(204, { Allow: [...allowed, "OPTIONS"].join(", ") });
        return res.end();
    }
    if (!allowed.includes(req.method))
        return sendJson(res, 405, { detail: "Method not allowed" }, { Allow: [...allowed, "OPTIONS"].join(", ") });

    const who = await authenticate(req);
    if (who.error) return sendJson(res, 401, { detail: who.error }, UNAUTHORIZED);
    if (who.sub !== userId)
        return sendJson(res, 403, { detail: "Access denied: cannot access other users' resources" });

    let body;
    if (req.method === "POST" || req.method === "PUT" || req.method === "PATCH") {
        const raw = await readBody(req);
        if (raw.tooLarge) return sendJson(res, 413, { detail: "Request body too large" });
        if (!/^application\/json\b/i.test(req.headers["content-type"] ?? ""))
            return sendJson(res, 422, { detail: "body: Content-Type must be application/json" });
        try { body = JSON.parse(raw.text); } catch { return sendJson(res, 422, { detail: "body: invalid JSON" }); }
    }
    if (taskId && !UUID_RE.test(taskId)) return sendJson(res, 404, { detail: "Task not found" });

    if (!taskId && req.method === "GET") {
        const r = await pool.query("SELECT * FROM task WHERE user_id = $1 ORDER BY created_at, id", [userId]);
        return sendJson(res, 200, r.rows.map(taskOut));
    }
    if (!taskId && req.method === "POST") {
        const v = taskFields(body, true);
        if (v.error) return sendJson(res, 422, { detail: v.error });
        const r = await pool.query(
            "INSERT INTO task (user_id, title, description, completed) VALUES ($1, $2, $3, $4) RETURNING *",
            [userId, v.fields.title, v.fields.description ?? null, v.fields.completed ?? false]);
        return sendJson(res, 201, taskOut(r.rows[0]));
    }
    let r;
    if (req.method === "GET") {
        r = await pool.query("SELECT * FROM task WHERE id = $1 AND user_id = $2", [taskId, userId]);
    } else if (req.method === "DELETE") {
        r = await pool.query("DELETE FROM task WHERE id = $1 AND user_id = $2 RETURNING id", [taskId, userId]);
        if (r.rowCount === 0) return sendJson(res, 404, { detail: "Task not found" });
        res.writeHead(204, { "Cache-Control": "no-store" });
        return res.end();
    } else {
        const v = taskFields(body, req.method === "PUT");
        if (v.error) return sendJson(res, 422, { detail: v.error });
        const f = req.method === "PUT"
            ? { description: null, completed: false, ...v.fields }
            : v.fields;
        const sets = [];
        const vals = [taskId, userId];
        for (const k of ["title", "description", "completed"]) {
            if (k in f) {
                vals.push(f[k]);
                sets.push(`${k} = $${vals.length}`);
            }
        }
        sets.push("updated_at = now()");
        r = await pool.query(`UPDATE task SET ${sets.join(", ")} WHERE id = $1 AND user_id = $2 RETURNING *`, vals);
    }
    if (r.rowCount === 0) return sendJson(res, 404, { detail: "Task not found" });
    return sendJson(res, 200, taskOut(r.rows[0]));
}

async function api(req, res) {
    cors(req, res);
    if (preflight(req, res)) return;
    return tasksApi(req, res);
}

async function authOnly(req, res) {
    cors(req, res);
    if (preflight(req, res)) return;
    const path = (req.url ?? "/").split("?")[0];
    if (config.behindProxy) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
    if (path === AUTH_BASE_PATH || path.startsWith(`${AUTH_BASE_PATH}/`)) return betterAuthNode(req, res);
    return sendJson(res, 404, { detail: "Not found" });
}

if (apiServer) {
    authHandler = authOnly;
    apiHandler = api;
} else {
    authHandler = async (req, res) => {
        const path = (req.url ?? "/").split("?")[0];
        if (path === AUTH_BASE_PATH || path.startsWith(`${AUTH_BASE_PATH}/`)) return authOnly(req, res);
        return api(req, res);
    };
}

let stopping = false;
function stop() {
    if (stopping) return;
    stopping = true;
    const closing = [authServer, apiServer].filter(Boolean).map((s) => new Promise((r) => {
        s.close(() => r());
        s.closeAllConnections?.();
    }));
    Promise.all(closing).then(() => pool.end()).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Started by a runner (EXIT_WITH_PARENT=1): stop when that runner is gone, even killed by SIGKILL.
if (process.env.EXIT_WITH_PARENT === "1") {
    const parent = process.ppid;
    setInterval(() => { if (process.ppid !== parent) stop(); }, 500).unref();
}

process.stdout.write(`listening ${authUrl} api ${apiUrl}\n`);
