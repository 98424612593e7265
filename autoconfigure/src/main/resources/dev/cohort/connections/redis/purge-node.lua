-- Forgets every connection of a node that left and takes them out of every room. The
-- first caller empties the node's set, so later callers get nothing back.
--
-- KEYS[1]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[2]  set: the node's connection ids ({<ns>:chat}:node:<node id>)
-- KEYS[3]  set: the rooms ({<ns>:chat}:rooms)
-- ARGV[1]  the key prefix of rooms, {<ns>:chat}:room:
-- Returns  {room, connection id, ...} for each membership removed

local removed = {}
local ids = redis.call('SMEMBERS', KEYS[2])
if #ids == 0 then
	return removed
end
local rooms = redis.call('SMEMBERS', KEYS[3])
for _, id in ipairs(ids) do
	redis.call('HDEL', KEYS[1], id)
	for _, room in ipairs(rooms) do
		if redis.call('HDEL', ARGV[1] .. room, id) == 1 then
			table.insert(removed, room)
			table.insert(removed, id)
		end
	end
end
redis.call('DEL', KEYS[2])
return removed
