-- wrk: each request publishes one event, a 21-byte text, to Herald's /publish or Nchan's publisher
-- (bench/run's publishing head to head).
wrk.method = "POST"
wrk.body = "a 21-byte event body."
wrk.headers["Content-Type"] = "text/plain"
