-- Takes connections out of a room's members, with their details, each only if the given
-- node holds it there (a connection another node took over stays), or whatever node holds
-- it.
--
-- KEYS[1]  hash: the room's members ({<ns>:chat:room:<room>}:members)
-- KEYS[2]  hash: the room's member details ({<ns>:chat:room:<room>}:details)
-- ARGV[1]  the node id, or empty for any
-- ARGV[2..] the connection ids
-- Returns  {connection id, node id, ...} of those taken out

local result = {}
for i = 2, #ARGV do
	local value = redis.call('HGET', KEYS[1], ARGV[i])
	if value and (ARGV[1] == '' or memberNode(value) == ARGV[1]) then
		redis.call('HDEL', KEYS[1], ARGV[i])
		redis.call('HDEL', KEYS[2], ARGV[i])
		result[#result + 1] = ARGV[i]
		result[#result + 1] = memberNode(value)
	end
end
return result
