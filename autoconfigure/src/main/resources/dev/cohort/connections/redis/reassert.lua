-- Writes again what a node holds, for a batch of its connections: registers each (and lists
-- it under its user, if it has one), adds it to each of its rooms that the directory lost, and takes it out of the rooms that the
-- directory has but the node does not. Run after the node was out (others may have purged
-- it, Redis may have lost data), and when a check finds the directory disagrees.
--
-- KEYS[1]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[2]  set: the node's connection ids ({<ns>:chat}:node:<node id>)
-- KEYS[3]  set: the rooms ({<ns>:chat}:rooms)
-- KEYS[4]  hash: node id -> fingerprint of its entries ({<ns>:chat}:fingerprints, see
--          common.lua)
-- KEYS[5]  prefix of each connection's set of rooms ({<ns>:chat}:connection:)
--          (a prefix, not a key: the script appends each connection id it reads; declared so that
--          Redis Cluster sees the directory's slot, built by ClusterKeys.chatConnectionRoomsPrefix)
-- KEYS[6]  prefix of each room's members hash ({<ns>:chat}:room:)
--          (a prefix, not a key: the script appends each room it reads; declared so that
--          Redis Cluster sees the directory's slot, built by ClusterKeys.chatRoomPrefix)
-- KEYS[7]  hash: connection id -> user, for connections with one ({<ns>:chat}:users)
-- KEYS[8]  prefix of each user's set of connections ({<ns>:chat}:user:)
--          (a prefix, not a key: the script appends each user it writes, built by
--          ClusterKeys.chatUserPrefix)
-- ARGV[1]  the node id
-- ARGV[2]  1 to create rooms that do not exist (the directory lost them), 0 to report
--          their memberships as gone (the room was destroyed)
-- ARGV[3]  when memberships added again joined, ms
-- ARGV[4..] for each connection: its id, its user (empty for an anonymous client), how many
--          rooms it is in, then those rooms
-- Returns  {kind, room, connection id, ...}, kind being 'joined' (added again), 'left'
--          (removed: the node does not hold it) or 'gone' (the room does not exist)

local node, recreate, joinedAt = ARGV[1], ARGV[2] == '1', ARGV[3]
local connectionRooms, roomMembers = KEYS[5], KEYS[6]
local result = {}
local change = 0
local function report(kind, room, id)
	result[#result + 1] = kind
	result[#result + 1] = room
	result[#result + 1] = id
end

local i = 4
while i <= #ARGV do
	local id, user, count = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
	local first, last = i + 3, i + 2 + count
	i = last + 1
	redis.call('HSET', KEYS[1], id, node)
	if user ~= '' then
		-- The user index is not in the fingerprint: written again with every reassertion.
		redis.call('HSET', KEYS[7], id, user)
		redis.call('SADD', KEYS[8] .. user, id)
	end
	if redis.call('SADD', KEYS[2], id) == 1 then
		change = bit.bxor(change, connectionHash(id))
	end
	local rooms = connectionRooms .. id
	local held = {}
	for j = first, last do
		held[ARGV[j]] = true
	end
	for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
		if not held[room] then
			redis.call('SREM', rooms, room)
			change = bit.bxor(change, membershipHash(id, room))
			if redis.call('HDEL', roomMembers .. room, id) == 1 then
				report('left', room, id)
			end
		end
	end
	for j = first, last do
		local room = ARGV[j]
		local exists = redis.call('SISMEMBER', KEYS[3], room) == 1
		if not exists and recreate then
			redis.call('SADD', KEYS[3], room)
			exists = true
		end
		if exists then
			if redis.call('SADD', rooms, room) == 1 then
				change = bit.bxor(change, membershipHash(id, room))
			end
			if redis.call('HSETNX', roomMembers .. room, id, joinedAt) == 1 then
				report('joined', room, id)
			end
		else
			if redis.call('SREM', rooms, room) == 1 then
				change = bit.bxor(change, membershipHash(id, room))
			end
			report('gone', room, id)
		end
	end
end

changeFingerprint(KEYS[4], node, change)
return result
