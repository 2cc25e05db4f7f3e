-- GET of the URL given to wrk with "Authorization: Bearer $BENCH_TOKEN":
-- a protected read (token verification and one indexed query).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then
   error("bearer.lua: BENCH_TOKEN is not set")
end
wrk.headers["Authorization"] = "Bearer " .. token

function done(summary, latency, requests)
   bench_report(summary, latency)
end
