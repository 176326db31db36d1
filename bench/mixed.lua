-- wrk script of `bench/run.py --load`: requests the paths in BENCH_PATHS (one a line)
-- in turn, counts the responses by status code, and prints them as one JSON line:
--   statuses {"200": 12345, "500": 0}
local paths = {}
for line in (os.getenv("BENCH_PATHS") or "/"):gmatch("[^\n]+") do
  table.insert(paths, line)
end

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0
  statuses = {}
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      total[code] = (total[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(total) do
    table.insert(parts, string.format('"%d": %d', code, n))
  end
  io.write("statuses {" .. table.concat(parts, ", ") .. "}\n")
end
