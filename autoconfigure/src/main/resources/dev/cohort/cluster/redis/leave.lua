-- Removes a node at once when it stops cleanly, unless another process has taken its id
-- in the meantime.
--
-- KEYS[1]  sorted set: node id -> deadline (see heartbeat.lua)
-- KEYS[2]  hash: node id -> registration JSON
-- ARGV[1]  node id
-- ARGV[2]  instance id of the calling process
-- Returns  1 if the node was removed, 0 if its id belongs to another instance

local current = redis.call('HGET', KEYS[2], ARGV[1])
if current then
	local ok, registration = pcall(cjson.decode, current)
	if ok and type(registration) == 'table' and registration.instance ~= ARGV[2] then
		return 0
	end
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
