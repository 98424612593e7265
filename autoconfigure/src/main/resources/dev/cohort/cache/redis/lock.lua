-- Takes a lock if nobody holds it and numbers the taking with the next fencing token.
--
-- KEYS[1]  the lock (a hash: token, node, fence)
-- KEYS[2]  the fencing counter of the same name (same hash tag); it never expires, so
--          tokens keep growing across holders and expiries
-- ARGV[1]  the new holder's token
-- ARGV[2]  the new holder's node id
-- ARGV[3]  time to live in ms
-- Returns  the fencing token, or nil if the lock is held

if redis.call('EXISTS', KEYS[1]) == 1 then
	return false
end
local fence = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'node', ARGV[2], 'fence', fence)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return fence
