-- Stores the first (or only) chunk of a new message and, when it is whole,
-- puts it in the recipient's inbox. All keys share the recipient's slot.
-- KEYS: 1 meta, 2 body, 3 inbox, 4 expiry, 5 purge, 6 send-once, 7 chunk sizes
-- ARGV: 1 id, 2 total chunks, 3 expires at, 4 purge at, 5 send-once window ms (0 = none),
--       6 first chunk's inflated size, 7 first chunk, 8.. meta field/value pairs
-- Returns {id, 1} when an earlier message answers this send, {id, 0} when stored.
if redis.call('EXISTS', KEYS[1]) == 1 then return {ARGV[1], 1} end
local window = tonumber(ARGV[5])
if window > 0 then
  local first = redis.call('GET', KEYS[6])
  if first then return {first, 1} end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 8))
redis.call('HSET', KEYS[2], '1', ARGV[7])
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
if tonumber(ARGV[2]) == 1 then
  redis.call('HSET', KEYS[1], 'expiresAt', ARGV[3], 'size', string.len(ARGV[7]))
  redis.call('ZADD', KEYS[3], 0, ARGV[1])
  redis.call('ZADD', KEYS[4], ARGV[3], ARGV[1])
else
  -- Later chunks add up against the message's size limit (chunk.lua); an upload never
  -- finished leaves this to expire with the message's content.
  redis.call('HSET', KEYS[7], '1', ARGV[6])
  redis.call('PEXPIREAT', KEYS[7], ARGV[4])
end
if window > 0 then redis.call('SET', KEYS[6], ARGV[1], 'PX', window) end
return {ARGV[1], 0}
