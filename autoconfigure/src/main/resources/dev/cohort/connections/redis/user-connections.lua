-- The connections of a user and the node that holds each, in one step.
--
-- KEYS[1]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[2]  set: the user's connection ids ({<ns>:chat}:user:<user>)
-- Returns  {connection id, node id, ...} for each of them the directory still lists

local result = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
	local node = redis.call('HGET', KEYS[1], id)
	if node then
		result[#result + 1] = id
		result[#result + 1] = node
	end
end
return result
