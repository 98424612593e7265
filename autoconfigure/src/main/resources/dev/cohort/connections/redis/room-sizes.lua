-- Counts the members of every room, in one step, without reading them.
--
-- KEYS[1]  set: the rooms ({<ns>:chat}:rooms)
-- KEYS[2]  prefix of each room's members hash ({<ns>:chat}:room:)
--          (a prefix, not a key: the script appends each room it reads; declared so that
--          Redis Cluster sees the directory's slot, built by ClusterKeys.chatRoomPrefix)
-- Returns  {room, member count, ...}

local result = {}
for _, room in ipairs(redis.call('SMEMBERS', KEYS[1])) do
	table.insert(result, room)
	table.insert(result, redis.call('HLEN', KEYS[2] .. room))
end
return result
