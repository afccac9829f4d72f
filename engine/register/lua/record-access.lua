-- Adds one access to a person's history, keeping the most recent few. Counted once per
-- organisation and attendance (or query) id (a retry or replay adds nothing), and a view by
-- the same author within the window of one already kept counts once. Returns 1 when the
-- access entered the history.
-- KEYS: 1 accesses, 2 accesses seen
-- ARGV: 1 access seen ('ODS|id', redis-register.ts seenAs), 2 time ms, 3 author ('' when unknown), 4 entry, 5 keep, 6 window ms
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
local at, keep, window = tonumber(ARGV[2]), tonumber(ARGV[5]), tonumber(ARGV[6])
redis.call('ZADD', KEYS[2], at, ARGV[1])
if ARGV[3] ~= '' then
  for _, entry in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (at - window), '(' .. (at + window))) do
    if cjson.decode(entry)[1] == ARGV[3] then return 0 end
  end
end
redis.call('ZADD', KEYS[1], at, ARGV[4])
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(keep + 1))
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if redis.call('ZCARD', KEYS[1]) >= keep then
  -- An id older than the oldest kept minus the window could not be counted again anyway:
  -- a replay of it falls off the end of the history at once.
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (tonumber(oldest[2]) - window))
end
return redis.call('ZSCORE', KEYS[1], ARGV[4]) and 1 or 0
