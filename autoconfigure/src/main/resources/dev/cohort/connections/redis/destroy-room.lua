-- Deletes a room and its memberships.
--
-- KEYS[1]  set: the rooms ({<ns>:chat}:rooms)
-- KEYS[2]  hash: the room's members ({<ns>:chat}:room:<room>)
-- ARGV[1]  the room
-- Returns  {0} if the room did not exist, else {1, connection id, ...} of its members

if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
	return {0}
end
local result = {1}
for _, id in ipairs(redis.call('HKEYS', KEYS[2])) do
	table.insert(result, id)
end
redis.call('DEL', KEYS[2])
return result
