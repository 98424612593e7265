-- The first step of writing again what a node holds, for a batch of its connections:
-- lists each under the node, and takes out of each connection's rooms those the node does
-- not hold, answering them so that the caller takes the connection out of those rooms too.
-- The rooms the node holds are added last, by node-reassert-rooms.lua, once the rooms'
-- members are written, so that a repair that stops half-way leaves the node's fingerprint
-- different, and is done again.
--
-- KEYS[1]  set: the node's connection ids ({<ns>:chat:node:<node>}:connections)
-- KEYS[2]  set: the node's connections being forgotten ({<ns>:chat:node:<node>}:leaving)
-- KEYS[3]  string: the node's fingerprint ({<ns>:chat:node:<node>}:fingerprint)
-- KEYS[4]  prefix of each connection's set of rooms ({<ns>:chat:node:<node>}:rooms:)
--          (a prefix, not a key: the script appends each connection id; declared so that
--          Redis Cluster sees the node's slot, built by ClusterKeys.chatNodeRoomsPrefix)
-- ARGV[1..] for each connection: its id, how many rooms it is in, then those rooms
-- Returns  {room, connection id, ...} for each membership taken out

local result = {}
local change = 0
local i = 1
while i <= #ARGV do
	local id, count = ARGV[i], tonumber(ARGV[i + 1])
	local first, last = i + 2, i + 1 + count
	i = last + 1
	local rooms = KEYS[4] .. id
	if redis.call('SADD', KEYS[1], id) == 1 then
		change = bit.bxor(change, connectionHash(id))
		if redis.call('SREM', KEYS[2], id) == 1 then
			-- A forget that stopped half-way had taken its rooms out of the fingerprint.
			for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
				change = bit.bxor(change, membershipHash(id, room))
			end
		end
	end
	local held = {}
	for j = first, last do
		held[ARGV[j]] = true
	end
	for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
		if not held[room] then
			redis.call('SREM', rooms, room)
			change = bit.bxor(change, membershipHash(id, room))
			result[#result + 1] = room
			result[#result + 1] = id
		end
	end
end
changeFingerprint(KEYS[3], change)
return result
