-- Adds a connection to a room, if the room exists.
--
-- KEYS[1]  set: the rooms ({<ns>:chat}:rooms)
-- KEYS[2]  hash: the room's members, connection id -> joined at ms ({<ns>:chat}:room:<room>)
-- ARGV[1]  the room
-- ARGV[2]  the connection id
-- ARGV[3]  when it joins, ms
-- Returns  1 if added, 0 if it was in already, -1 if the room does not exist

if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
	return -1
end
return redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[3])
