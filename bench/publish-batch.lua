-- wrk: each request publishes a batch of 100 events to Herald's /publish, one JSON object a line,
-- each with the same 21-byte text as publish-single.lua (bench/run's publishing head to head).
local lines = {}
for i = 1, 100 do
    lines[i] = '{"data": "a 21-byte event body."}\n'
end
wrk.method = "POST"
wrk.body = table.concat(lines)
wrk.headers["Content-Type"] = "application/x-ndjson"
