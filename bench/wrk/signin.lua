-- POST of $BENCH_SIGNIN_BODY (a JSON sign-in) to the URL given to wrk: a
-- flood of sign-ins, each one bcrypt verification on the server.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local body = os.getenv("BENCH_SIGNIN_BODY")
if body == nil or body == "" then
   error("signin.lua: BENCH_SIGNIN_BODY is not set")
end
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

function done(summary, latency, requests)
   bench_report(summary, latency)
end
