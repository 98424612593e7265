-- Gives up the recurring scheduler's leadership, only for the leader.
--
-- KEYS[1]  {<ns>:tasks}:scheduler (a hash: token, node, fence)
-- ARGV[1]  the caller's token
-- Returns  1 if the caller led and no longer does, 0 if it did not lead

if redis.call('HGET', KEYS[1], 'token') == ARGV[1] then
	redis.call('DEL', KEYS[1])
	return 1
end
return 0
