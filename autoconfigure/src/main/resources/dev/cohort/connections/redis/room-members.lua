-- Reads a room's members.
--
-- KEYS[1]  hash: the room's settings ({<ns>:chat:room:<room>}:state)
-- KEYS[2]  hash: the room's members ({<ns>:chat:room:<room>}:members)
-- Returns  {0} if the room does not exist, else {1, id, '<joined at>:<node id>', ...}

if redis.call('EXISTS', KEYS[1]) == 0 then
	return {0}
end
local result = {1}
for _, item in ipairs(redis.call('HGETALL', KEYS[2])) do
	result[#result + 1] = item
end
return result
