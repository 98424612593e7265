-- Describes the recurring scheduler's leader without its token.
--
-- KEYS[1]  {<ns>:tasks}:scheduler (a hash: token, node, fence)
-- Returns  {node, fence, remaining ms}, or an empty array if nobody leads

local held = redis.call('HMGET', KEYS[1], 'node', 'fence')
if not held[1] then
	return {}
end
return {held[1], held[2], redis.call('PTTL', KEYS[1])}
