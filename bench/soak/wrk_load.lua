-- The requests of one soak load under wrk: round robin over the lines of the file SOAK_REQUESTS
-- (a path, optionally a tab, a header name, a tab and its value), each connection pausing
-- SOAK_DELAY_MS before its next request (the soak measures growth, not speed: the pause keeps it
-- from taking the cores it shares). The answers are counted by second, status and the
-- X-Soak-Config header (which of the two configs served them), and printed at the end as lines
-- "count SECOND STATUS CONFIG N".
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local prepared = {}
local next_request = 1
local delay_ms = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
-- Flat keys: wrk copies a thread's table to the main state for done(), but not nested tables.
counts = {}

function init(args)
  for line in io.lines(os.getenv("SOAK_REQUESTS")) do
    local path, name, value = line:match("^([^\t]+)\t?([^\t]*)\t?(.*)$")
    local headers = {}
    for k, v in pairs(wrk.headers) do headers[k] = v end  -- those given with -H
    if name ~= "" then headers[name] = value end
    table.insert(prepared, wrk.format("GET", path, headers))
  end
end

function request()
  local r = prepared[next_request]
  next_request = next_request % #prepared + 1
  return r
end

function delay()
  return delay_ms
end

function response(status, headers, body)
  local key = os.time() .. " " .. status .. " " .. (headers["X-Soak-Config"] or "-")
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get("counts")) do
      io.write("count ", key, " ", n, "\n")
    end
  end
end
