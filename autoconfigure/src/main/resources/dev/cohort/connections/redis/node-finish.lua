-- The last step of forgetting connections of a node (see node-forget.lua), once their
-- rooms, index entries and users were cleaned: deletes what the node's tag still has of
-- them. Of concurrent purges that finish the same connection, one counts it.
--
-- KEYS[1]  set: the node's connection ids ({<ns>:chat:node:<node>}:connections)
-- KEYS[2]  set: the node's connections being forgotten ({<ns>:chat:node:<node>}:leaving)
-- KEYS[3]  string: the node's fingerprint ({<ns>:chat:node:<node>}:fingerprint)
-- KEYS[4]  hash: connection id -> user ({<ns>:chat:node:<node>}:users)
-- KEYS[5]  prefix of each connection's set of rooms ({<ns>:chat:node:<node>}:rooms:)
--          (a prefix, not a key: the script appends each connection id; declared so that
--          Redis Cluster sees the node's slot, built by ClusterKeys.chatNodeRoomsPrefix)
-- ARGV[1..] the connection ids
-- Returns  {how many were being forgotten, their ids...}

local result = {0}
for _, id in ipairs(ARGV) do
	-- A connection listed again meanwhile (written again by its node) stays.
	if redis.call('SISMEMBER', KEYS[1], id) == 0 then
		if redis.call('SREM', KEYS[2], id) == 1 then
			result[1] = result[1] + 1
			result[#result + 1] = id
		end
		redis.call('DEL', KEYS[5] .. id)
		redis.call('HDEL', KEYS[4], id)
	end
end
if redis.call('SCARD', KEYS[1]) == 0 and redis.call('SCARD', KEYS[2]) == 0 then
	redis.call('DEL', KEYS[3])
end
return result
