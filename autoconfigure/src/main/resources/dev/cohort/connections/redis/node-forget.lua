-- The first step of forgetting connections of a node: moves them from the node's set to
-- its set of connections being forgotten, takes them out of the node's fingerprint, and
-- answers their rooms and users, so that the caller cleans the rooms, the index and the
-- users, then finishes with node-finish.lua. Their rooms stay listed until then: a forget
-- that stops half-way (the caller failed, or its node died) is finished by the next one,
-- and the node's summary counts them, so that its check notices. Either the given ones
-- (a connection closed, or the node found one it no longer holds), or a batch popped from
-- the node's set (a purge of a node that left), or, when that set is empty, a batch of
-- those a purge left half-way. Popping makes concurrent purges take disjoint batches.
--
-- KEYS[1]  set: the node's connection ids ({<ns>:chat:node:<node>}:connections)
-- KEYS[2]  set: the node's connections being forgotten ({<ns>:chat:node:<node>}:leaving)
-- KEYS[3]  string: the node's fingerprint ({<ns>:chat:node:<node>}:fingerprint)
-- KEYS[4]  hash: connection id -> user ({<ns>:chat:node:<node>}:users)
-- KEYS[5]  prefix of each connection's set of rooms ({<ns>:chat:node:<node>}:rooms:)
--          (a prefix, not a key: the script appends each connection id; declared so that
--          Redis Cluster sees the node's slot, built by ClusterKeys.chatNodeRoomsPrefix)
-- ARGV[1]  how many connections to pop, or 0 to forget ARGV[2..]
-- ARGV[2..] the connections to forget
-- Returns  {id, state, user or '', room count, rooms..., ...} for each connection, state
--          being 2 if the node listed it, 1 if it was being forgotten, 0 if neither

local limit = tonumber(ARGV[1])
local ids, states = {}, {}
if limit > 0 then
	ids = redis.call('SPOP', KEYS[1], limit)
	for _, id in ipairs(ids) do
		redis.call('SADD', KEYS[2], id)
		states[id] = 2
	end
	if #ids == 0 then
		ids = redis.call('SRANDMEMBER', KEYS[2], limit)
		for _, id in ipairs(ids) do
			states[id] = 1
		end
	end
else
	for i = 2, #ARGV do
		local id = ARGV[i]
		ids[#ids + 1] = id
		if redis.call('SMOVE', KEYS[1], KEYS[2], id) == 1 then
			states[id] = 2
		elseif redis.call('SISMEMBER', KEYS[2], id) == 1 then
			states[id] = 1
		else
			states[id] = 0
		end
	end
end

local result = {}
local change = 0
for _, id in ipairs(ids) do
	local rooms = redis.call('SMEMBERS', KEYS[5] .. id)
	if states[id] == 2 then
		change = bit.bxor(change, connectionHash(id))
		for _, room in ipairs(rooms) do
			change = bit.bxor(change, membershipHash(id, room))
		end
	end
	result[#result + 1] = id
	result[#result + 1] = states[id]
	result[#result + 1] = redis.call('HGET', KEYS[4], id) or ''
	result[#result + 1] = #rooms
	for _, room in ipairs(rooms) do
		result[#result + 1] = room
	end
end
changeFingerprint(KEYS[3], change)
return result
