-- Deletes a message's content and record once its retention has passed.
-- KEYS: 1 meta, 2 body, 3 inbox, 4 expiry, 5 purge
-- ARGV: 1 id
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
return 1
