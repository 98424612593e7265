-- Gives a lock a new time to live, only for the holder that took it.
--
-- KEYS[1]  the lock (a hash: token, node, fence)
-- ARGV[1]  the caller's token
-- ARGV[2]  new time to live in ms
-- Returns  1 if extended, 0 if the lock is not the caller's (or is gone)

if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
	redis.call('PEXPIRE', KEYS[1], ARGV[2])
	return 1
end
return 0
