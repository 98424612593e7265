-- Releases a lock, only for the holder that took it.
--
-- KEYS[1]  the lock (a hash: token, node, fence)
-- ARGV[1]  the caller's token
-- Returns  1 if released, 0 if the lock is not the caller's (or is gone)

if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
	redis.call('DEL', KEYS[1])
	return 1
end
return 0
