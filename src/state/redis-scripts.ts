// The Lua scripts the Redis state runs: each step is one script, so it is atomic across every gateway replica.

/**
 * Every script that changes something starts here. ARGV[1] is a deadline in Redis's own clock (the client's command
 * timeout, translated with the measured clock offset): a script that runs later than that was already answered as
 * failed (and maybe let through, fail-open), so it must not charge, claim or change anything now. That happens when
 * Redis stalls with commands in its socket buffer, or a command is delivered after a failover.
 */
const DEADLINE = `
local clock = redis.call('TIME')
if tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000) > tonumber(ARGV[1]) then
  return redis.error_reply('DEADLINE passed: not applied')
end
`

/**
 * GCRA over several buckets, all or nothing; the same arithmetic as `gcra.ts` (the contract suite holds them equal).
 * KEYS: the buckets. ARGV: deadline, now (ms), force (1/0), then for each bucket its interval (ms per unit), capacity
 * (ms) and cost. Returns allowed (1/0), then remaining, reset ms and retry-after ms for each bucket (Redis turns Lua
 * numbers into integers, so the script rounds itself). Values are stored exactly (17 digits) and expire when full.
 */
export const GCRA_LUA = `${DEADLINE}
local now = tonumber(ARGV[2])
local slack_ms, slack_units = 1e-3, 1e-6
local allowed = true
local starts, ends = {}, {}
for i = 1, #KEYS do
  local interval, capacity, cost = tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2]), tonumber(ARGV[3 * i + 3])
  local start = math.max(tonumber(redis.call('GET', KEYS[i])) or now, now)
  starts[i], ends[i] = start, start + cost * interval
  if ends[i] - now > capacity + slack_ms then allowed = false end
end
if ARGV[3] == '1' then allowed = true end
local out = { allowed and 1 or 0 }
for i = 1, #KEYS do
  local interval, capacity = tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
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
 * A member of a bounded sorted set whose scores are expiry times: one slot of a bounded set of concurrent leases, or one
 * consumer instance of a caller. Members expire on their own, so a replica that dies holding one cannot keep it forever.
 * KEYS[1]: the set. ARGV: deadline, now (ms), max, ttl ms, member, member leaving first ('' for none).
 * Returns 1 when the member is in the set (added or refreshed), else 0.
 */
export const JOIN_LUA = `${DEADLINE}
local now, max, ttl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if ARGV[6] ~= '' then redis.call('ZREM', KEYS[1], ARGV[6]) end
if not redis.call('ZSCORE', KEYS[1], ARGV[5]) and redis.call('ZCARD', KEYS[1]) >= max then return 0 end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[5])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(tonumber(last[2]) - now)))
return 1
`

/**
 * Records are stored as "<expires at ms> <value>", so they live on the caller's clock like the buckets; Redis's own
 * expiry (PX) only collects them. Reading needs no script: the caller compares the time itself.
 */
const LIVE_RECORD = `
local function holder(key, now)
  local stored = redis.call('GET', key)
  if not stored then return nil end
  local space = string.find(stored, ' ', 1, true)
  if not space or tonumber(string.sub(stored, 1, space - 1)) <= now then return nil end
  return string.sub(stored, space + 1)
end
local function write(key, value, now, ttl)
  redis.call('SET', key, string.format('%.17g', now + ttl) .. ' ' .. value, 'PX', math.max(1, math.ceil(ttl)))
end
`

/** KEYS[1]: the record. ARGV: deadline, now, ttl ms, value. Returns the value holding the record afterwards. */
export const CLAIM_LUA = `${DEADLINE}${LIVE_RECORD}
local now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
local held = holder(KEYS[1], now)
if held and held ~= ARGV[4] then return held end
write(KEYS[1], ARGV[4], now, ttl)
return ARGV[4]
`

/** KEYS[1]: the record. ARGV: deadline, now, ttl ms, value. Returns 1 when refreshed, 0 when another value holds it. */
export const REFRESH_LUA = `${DEADLINE}${LIVE_RECORD}
local now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
if holder(KEYS[1], now) ~= ARGV[4] then return 0 end
write(KEYS[1], ARGV[4], now, ttl)
return 1
`

/** KEYS[1]: the record. ARGV: deadline, now, value. Returns 1 when deleted, 0 when another value (or none) holds it. */
export const RELEASE_LUA = `${DEADLINE}${LIVE_RECORD}
if holder(KEYS[1], tonumber(ARGV[2])) ~= ARGV[3] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`
