-- Plain GET of the URL given to wrk (static files, /health).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

function done(summary, latency, requests)
   bench_report(summary, latency)
end
