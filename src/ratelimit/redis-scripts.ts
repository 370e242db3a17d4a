// The Lua scripts the Redis store runs: each decision is one script, so it is atomic across every gateway replica.

/**
 * GCRA over several buckets, all or nothing; the same arithmetic as `gcra.ts` (the contract suite holds them equal).
 * KEYS: the buckets. ARGV: now (ms), force (1/0), then for each bucket its interval (ms per unit), capacity (ms) and cost.
 * Returns allowed (1/0), then remaining, reset ms and retry-after ms for each bucket (Redis turns Lua numbers into
 * integers, so the script rounds itself). Values are stored exactly (17 digits) and expire when the bucket is full.
 */
export const GCRA_LUA = `
local now = tonumber(ARGV[1])
local slack_ms, slack_units = 1e-3, 1e-6
local allowed = true
local starts, ends = {}, {}
for i = 1, #KEYS do
  local interval, capacity, cost = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
  local start = math.max(tonumber(redis.call('GET', KEYS[i])) or now, now)
  starts[i], ends[i] = start, start + cost * interval
  if ends[i] - now > capacity + slack_ms then allowed = false end
end
if ARGV[2] == '1' then allowed = true end
local out = { allowed and 1 or 0 }
for i = 1, #KEYS do
  local interval, capacity = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1])
  local tat = allowed and ends[i] or starts[i]
  if allowed and tat > starts[i] then
    redis.call('SET', KEYS[i], string.format('%.17g', tat), 'PX', math.ceil(tat - now))
  end
  local over = ends[i] - now - capacity
  out[#out + 1] = math.max(0, math.floor((capacity - (tat - now)) / interval + slack_units))
  out[#out + 1] = math.ceil(tat - now)
  out[#out + 1] = over > slack_ms and math.ceil(over) or 0
end
return out
`

/**
 * One slot of a bounded set of concurrent leases. A lease expires on its own, so a replica that dies holding one cannot
 * keep a slot forever. KEYS[1]: the lease set. ARGV: now (ms), max, lease ms, lease id. Returns 1 when taken, else 0.
 */
export const ACQUIRE_LUA = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`
