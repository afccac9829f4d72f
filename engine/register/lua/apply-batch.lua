-- Commits one batch of a plan update: the register changes and the batch's results
-- together, or nothing. Optimistic concurrency: the batch was decided on what was read,
-- so it commits only if no person read has changed since (same version) and no position
-- has been applied meanwhile (another process on the same file). Returns 1, or 0 to
-- make the caller read again and decide again.
-- KEYS: 1 clock, 2 results, 3.. one per person read
-- ARGV: 1 results ttl seconds, 2 number of results m, 3 version field,
--       then one expected version per person ('0' when absent),
--       then m pairs position/result, then triples person index/record id/record ('' removes)
local people = #KEYS - 2
local m = tonumber(ARGV[2])
local vfield = ARGV[3]
for i = 1, people do
  if (redis.call('HGET', KEYS[i + 2], vfield) or '0') ~= ARGV[i + 3] then return 0 end
end
local results = people + 4
local changes = results + 2 * m
for i = results, changes - 1, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 then return 0 end
end
for i = results, changes - 1, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[2], ARGV[1])
if changes > #ARGV then return 1 end
local version = redis.call('INCR', KEYS[1])
local touched, order = {}, {}
for i = changes, #ARGV, 3 do
  local key = KEYS[tonumber(ARGV[i]) + 2]
  if ARGV[i + 2] == '' then
    redis.call('HDEL', key, ARGV[i + 1])
  else
    redis.call('HSET', key, ARGV[i + 1], ARGV[i + 2])
  end
  if not touched[key] then touched[key] = true; order[#order + 1] = key end
end
for _, key in ipairs(order) do
  redis.call('HSET', key, vfield, version)
  -- A person with no records left holds only the version: drop the key. Absent reads as
  -- version '0', which is safe because absent always means no records.
  if redis.call('HLEN', key) == 1 then redis.call('DEL', key) end
end
return 1
