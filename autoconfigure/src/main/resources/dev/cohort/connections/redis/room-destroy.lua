-- Deletes a room, its members and their details, the room's half of destroying it.
--
-- KEYS[1]  hash: the room's settings ({<ns>:chat:room:<room>}:state)
-- KEYS[2]  hash: the room's members ({<ns>:chat:room:<room>}:members)
-- KEYS[3]  hash: the room's member details ({<ns>:chat:room:<room>}:details)
-- Returns  {0} if the room did not exist, else {1, id, '<joined at>:<node id>', '', ...}
--          (the details are not answered: the room is gone)

local members = redis.call('HGETALL', KEYS[2])
redis.call('DEL', KEYS[2], KEYS[3])
if redis.call('DEL', KEYS[1]) == 0 then
	return {0}
end
local result = {1}
for i = 1, #members, 2 do
	result[#result + 1] = members[i]
	result[#result + 1] = members[i + 1]
	result[#result + 1] = ''
end
return result
