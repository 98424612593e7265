-- The node's half of taking connections out of one room (a leave, a destroyed room, a
-- join undone).
--
-- KEYS[1]  set: the node's connection ids ({<ns>:chat:node:<node>}:connections)
-- KEYS[2]  string: the node's fingerprint ({<ns>:chat:node:<node>}:fingerprint)
-- KEYS[3]  prefix of each connection's set of rooms ({<ns>:chat:node:<node>}:rooms:)
--          (a prefix, not a key: the script appends each connection id; declared so that
--          Redis Cluster sees the node's slot, built by ClusterKeys.chatNodeRoomsPrefix)
-- ARGV[1]  the room
-- ARGV[2..] the connection ids
-- Returns  how many of them had the room

local change, removed = 0, 0
for i = 2, #ARGV do
	local id = ARGV[i]
	if redis.call('SREM', KEYS[3] .. id, ARGV[1]) == 1 then
		removed = removed + 1
		-- A connection being forgotten left the fingerprint already.
		if redis.call('SISMEMBER', KEYS[1], id) == 1 then
			change = bit.bxor(change, membershipHash(id, ARGV[1]))
		end
	end
end
changeFingerprint(KEYS[2], change)
return removed
