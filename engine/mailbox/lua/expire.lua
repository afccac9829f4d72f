-- Marks one uncollected message undeliverable and takes it out of the inbox.
-- Only the caller that finds it still accepted wins, so with several hub
-- processes each message expires once. A DATA message is queued for its report.
-- KEYS: 1 meta, 2 inbox, 3 expiry, 4 reports pending
-- ARGV: 1 id, 2 now, 3 status description
redis.call('ZREM', KEYS[3], ARGV[1])
local m = redis.call('HMGET', KEYS[1], 'status', 'type')
if m[1] ~= 'accepted' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'undeliverable', 'statusAt', ARGV[2], 'statusCode', '14',
  'statusEvent', 'TRANSFER', 'statusDescription', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
if m[2] == 'DATA' then redis.call('SADD', KEYS[4], ARGV[1]) end
return 1
