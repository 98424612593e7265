-- Takes connections out of one bucket of the connection id -> node index, each only if the
-- given node still holds it (another node may have taken it over).
--
-- KEYS[1]  hash: connection id -> node id ({<ns>:chat:holders:<bucket>})
-- ARGV[1]  the node id
-- ARGV[2..] the connection ids
-- Returns  the ids taken out

local result = {}
for i = 2, #ARGV do
	if redis.call('HGET', KEYS[1], ARGV[i]) == ARGV[1] then
		redis.call('HDEL', KEYS[1], ARGV[i])
		result[#result + 1] = ARGV[i]
	end
end
return result
