-- The directory's epoch: a random id set by the first node to ask, so that a directory
-- that lost its data (a Redis restarted without persistence, a flush) shows a new one.
--
-- KEYS[1]  string: the directory's epoch ({<ns>:chat:directory}:epoch)
-- ARGV[1]  the epoch to set if there is none
-- Returns  {epoch, 1 if it was set now else 0}

local epoch = redis.call('GET', KEYS[1])
if epoch then
	return {epoch, 0}
end
redis.call('SET', KEYS[1], ARGV[1])
return {ARGV[1], 1}
