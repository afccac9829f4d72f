-- Stores chunk n of a message being uploaded; the last chunk makes it whole and
-- puts it in the inbox. A chunk may be sent again (a client retry) until then.
-- A chunk that would take the message's inflated size past its limit is refused.
-- KEYS: 1 meta, 2 body, 3 inbox, 4 expiry, 5 chunk sizes
-- ARGV: 1 id, 2 sender, 3 n, 4 total, 5 content encoding, 6 now, 7 expires at, 8 chunk,
--       9 this chunk's inflated size, 10 the message's limit
local m = redis.call('HMGET', KEYS[1], 'from', 'status', 'totalChunks', 'contentEncoding')
if not m[1] or m[1] ~= ARGV[2] then return 'NOT_FOUND' end
if m[2] ~= 'uploading' then return 'MESSAGE_COMPLETE' end
if m[3] ~= ARGV[4] then return 'BAD_CHUNK_RANGE' end
if (m[4] or '') ~= ARGV[5] then return 'ENCODING_CHANGED' end
local sizes = redis.call('HGETALL', KEYS[5])
local whole = tonumber(ARGV[9])
for i = 1, #sizes, 2 do
  if sizes[i] ~= ARGV[3] then whole = whole + tonumber(sizes[i + 1]) end
end
if whole > tonumber(ARGV[10]) then return 'TOO_LARGE' end
redis.call('HSET', KEYS[5], ARGV[3], ARGV[9])
redis.call('HSET', KEYS[2], ARGV[3], ARGV[8])
local total = tonumber(ARGV[4])
if redis.call('HLEN', KEYS[2]) < total then return 'PARTIAL' end
local size = 0
for n = 1, total do size = size + redis.call('HSTRLEN', KEYS[2], tostring(n)) end
redis.call('HSET', KEYS[1], 'status', 'accepted', 'acceptedAt', ARGV[6], 'statusAt', ARGV[6],
  'expiresAt', ARGV[7], 'size', size)
redis.call('DEL', KEYS[5])
redis.call('ZADD', KEYS[3], 0, ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[7], ARGV[1])
return 'COMPLETE'
