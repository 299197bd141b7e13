-- wrk script: POST one valid submission per request.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"event_type":"traffic_stop","what_happened":"During a night traffic stop the driver reached under the seat while I stood at the B-pillar.","lessons_learned":"Keep a clear view of the hands before approaching the window.","contributing_factors":["complacency"],"time_of_day":"night","state":"TX"}'

local statuses = {}

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx/3xx responses: %d\n", summary.errors.status))
end
