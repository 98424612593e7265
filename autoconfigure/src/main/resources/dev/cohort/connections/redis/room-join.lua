-- The room's half of a join: adds the member, and its details if it has some, if the room
-- exists.
--
-- KEYS[1]  hash: the room's settings ({<ns>:chat:room:<room>}:state)
-- KEYS[2]  hash: the room's members ({<ns>:chat:room:<room>}:members)
-- KEYS[3]  hash: the room's member details ({<ns>:chat:room:<room>}:details)
-- ARGV[1]  the connection id
-- ARGV[2]  '<joined at ms>:<node id>'
-- ARGV[3]  the member's details, a JSON object, or '' for none
-- Returns  1 if added, 2 if added to a room with presence off (so that the caller need not
--          read it), 0 if it was in already (its details unchanged), -1 if the room does
--          not exist

local presence = redis.call('HGET', KEYS[1], 'presence')
if not presence then
	return -1
end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then
	return 0
end
if ARGV[3] ~= '' then
	redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
end
if presence == '0' then
	return 2
end
return 1
