-- The last step of writing again what a node holds: adds to each connection's rooms those
-- whose member was written, and takes out those that no longer exist.
--
-- KEYS[1]  set: the node's connection ids ({<ns>:chat:node:<node>}:connections)
-- KEYS[2]  string: the node's fingerprint ({<ns>:chat:node:<node>}:fingerprint)
-- KEYS[3]  prefix of each connection's set of rooms ({<ns>:chat:node:<node>}:rooms:)
--          (a prefix, not a key: the script appends each connection id; declared so that
--          Redis Cluster sees the node's slot, built by ClusterKeys.chatNodeRoomsPrefix)
-- ARGV[1..] triples: '+' or '-', the connection id, the room
-- Returns  {connection id, room, ...} of the memberships added to connections the node no
--          longer lists (forgotten meanwhile), which the caller takes out of the room again

local result = {}
local change = 0
for i = 1, #ARGV, 3 do
	local op, id, room = ARGV[i], ARGV[i + 1], ARGV[i + 2]
	if redis.call('SISMEMBER', KEYS[1], id) == 1 then
		if op == '+' then
			if redis.call('SADD', KEYS[3] .. id, room) == 1 then
				change = bit.bxor(change, membershipHash(id, room))
			end
		elseif redis.call('SREM', KEYS[3] .. id, room) == 1 then
			change = bit.bxor(change, membershipHash(id, room))
		end
	elseif op == '+' then
		result[#result + 1] = id
		result[#result + 1] = room
	end
end
changeFingerprint(KEYS[2], change)
return result
