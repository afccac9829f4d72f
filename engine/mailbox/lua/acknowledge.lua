-- Takes a message out of the inbox. Acknowledging twice is harmless.
-- KEYS: 1 meta, 2 inbox, 3 expiry
-- ARGV: 1 id, 2 now
-- Returns {outcome, workflowId}: the workflow only when this call acknowledged it, '' for a repeat.
local status = redis.call('HGET', KEYS[1], 'status')
if not status or status == 'uploading' then return {'NOT_FOUND', ''} end
if status == 'acknowledged' then return {'OK', ''} end
if status ~= 'accepted' then return {'GONE', ''} end
redis.call('HSET', KEYS[1], 'status', 'acknowledged', 'acknowledgedAt', ARGV[2], 'statusAt', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
return {'OK', redis.call('HGET', KEYS[1], 'workflowId') or ''}
