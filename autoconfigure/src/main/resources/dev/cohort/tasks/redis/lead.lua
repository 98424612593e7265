-- Takes the recurring scheduler's leadership if nobody holds it, or extends it if the
-- caller holds it. Each taking is numbered with the next fencing token; an extension keeps
-- the token it was given.
--
-- KEYS[1]  {<ns>:tasks}:scheduler (a hash: token, node, fence)
-- KEYS[2]  {<ns>:tasks}:scheduler:fence, the fencing counter; it never expires, so tokens
--          keep growing across leaders and lapsed leases
-- ARGV[1]  the caller's token
-- ARGV[2]  the caller's node id
-- ARGV[3]  the lease in ms
-- Returns  the fencing token of the caller's leadership, or 0 if another leads

local held = redis.call('HMGET', KEYS[1], 'token', 'fence')
if held[1] then
	if held[1] ~= ARGV[1] then
		return 0
	end
	redis.call('PEXPIRE', KEYS[1], ARGV[3])
	return tonumber(held[2])
end
local fence = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'node', ARGV[2], 'fence', fence)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return fence
