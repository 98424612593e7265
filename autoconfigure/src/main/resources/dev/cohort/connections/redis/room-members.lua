-- Reads a room's members and their details.
--
-- KEYS[1]  hash: the room's settings ({<ns>:chat:room:<room>}:state)
-- KEYS[2]  hash: the room's members ({<ns>:chat:room:<room>}:members)
-- KEYS[3]  hash: the room's member details ({<ns>:chat:room:<room>}:details)
-- Returns  {0} if the room does not exist, else {1, id, '<joined at>:<node id>', details or
--          '', ...}

if redis.call('EXISTS', KEYS[1]) == 0 then
	return {0}
end
local result = {1}
local members = redis.call('HGETALL', KEYS[2])
-- Without member details (the default), no member costs a lookup.
local withDetails = redis.call('EXISTS', KEYS[3]) == 1
for i = 1, #members, 2 do
	result[#result + 1] = members[i]
	result[#result + 1] = members[i + 1]
	result[#result + 1] = withDetails and redis.call('HGET', KEYS[3], members[i]) or ''
end
return result
