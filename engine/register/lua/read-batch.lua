-- Reads what a batch is decided on, in one round trip and as one consistent snapshot:
-- the stored results of its positions and, unless every position is already applied,
-- every record held for its people. One script answers far faster than a pipeline of
-- a thousand commands, which is most of the cost of a bulk load.
-- KEYS: 1 results, 2.. one per person
-- ARGV: positions
-- Returns {results (false where not applied), person 1 hash as a flat list, ...}
local results, pending = {}, false
for i = 1, #ARGV do
  results[i] = redis.call('HGET', KEYS[1], ARGV[i])
  if not results[i] then pending = true end
end
local out = {results}
if pending then
  for i = 2, #KEYS do out[i] = redis.call('HGETALL', KEYS[i]) end
end
return out
