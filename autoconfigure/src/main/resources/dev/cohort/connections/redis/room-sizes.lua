-- Counts the members of every room, in one step, without reading them.
--
-- KEYS[1]  set: the rooms ({<ns>:chat}:rooms)
-- ARGV[1]  the prefix of the directory's keys, {<ns>:chat}:
-- Returns  {room, member count, ...}

local result = {}
for _, room in ipairs(redis.call('SMEMBERS', KEYS[1])) do
	table.insert(result, room)
	table.insert(result, redis.call('HLEN', ARGV[1] .. 'room:' .. room))
end
return result
