-- The room's half of writing again what a node holds: adds the node's connections that
-- the room lost, with their details, and marks as the node's those it has under another
-- node (a connection the node took over), keeping when they joined and their details.
--
-- KEYS[1]  hash: the room's settings ({<ns>:chat:room:<room>}:state)
-- KEYS[2]  hash: the room's members ({<ns>:chat:room:<room>}:members)
-- KEYS[3]  hash: the room's member details ({<ns>:chat:room:<room>}:details)
-- ARGV[1]  '1' to create the room if it does not exist (the directory lost it), else '0'
-- ARGV[2]  the node id
-- ARGV[3]  when members added again joined, ms
-- ARGV[4..] pairs: a connection id, its details (a JSON object, or '' for none)
-- Returns  {-1} if the room does not exist, else {1 if it was created now else 0, the
--          ids added again...}

local result = {0}
if redis.call('EXISTS', KEYS[1]) == 0 then
	if ARGV[1] ~= '1' then
		return {-1}
	end
	redis.call('HSET', KEYS[1], 'presence', '1')
	result[1] = 1
end
for i = 4, #ARGV, 2 do
	local id = ARGV[i]
	local value = redis.call('HGET', KEYS[2], id)
	if not value then
		redis.call('HSET', KEYS[2], id, ARGV[3] .. ':' .. ARGV[2])
		if ARGV[i + 1] ~= '' then
			redis.call('HSET', KEYS[3], id, ARGV[i + 1])
		end
		result[#result + 1] = id
	elseif memberNode(value) ~= ARGV[2] then
		redis.call('HSET', KEYS[2], id, memberJoinedAt(value) .. ':' .. ARGV[2])
	end
end
return result
