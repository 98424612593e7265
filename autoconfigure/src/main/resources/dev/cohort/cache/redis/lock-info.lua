-- Describes a lock without its token.
--
-- KEYS[1]  the lock (a hash: token, node, fence)
-- Returns  {node, fence, remaining ms} or an empty array if nobody holds it

local held = redis.call('HMGET', KEYS[1], 'node', 'fence')
if not held[1] then
	return {}
end
return {held[1], held[2], redis.call('PTTL', KEYS[1])}
