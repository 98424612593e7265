-- Deletes a room and its members, the room's half of destroying it.
--
-- KEYS[1]  hash: the room's settings ({<ns>:chat:room:<room>}:state)
-- KEYS[2]  hash: the room's members ({<ns>:chat:room:<room>}:members)
-- Returns  {0} if the room did not exist, else {1, id, '<joined at>:<node id>', ...}

local members = redis.call('HGETALL', KEYS[2])
redis.call('DEL', KEYS[2])
if redis.call('DEL', KEYS[1]) == 0 then
	return {0}
end
local result = {1}
for _, item in ipairs(members) do
	result[#result + 1] = item
end
return result
