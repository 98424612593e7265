-- Forgets connections of a node and takes each out of every room it is in, in one step:
-- the given ones when a connection closes (or the node finds one it no longer holds), or
-- a batch popped from the node's set when the node left (a purge). Popping makes
-- concurrent purges of one node take disjoint batches, so each membership is removed,
-- and reported, once.
--
-- KEYS[1]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[2]  set: the node's connection ids ({<ns>:chat}:node:<node id>)
-- KEYS[3]  hash: node id -> fingerprint of its entries ({<ns>:chat}:fingerprints, see
--          common.lua)
-- KEYS[4]  prefix of each connection's set of rooms ({<ns>:chat}:connection:)
--          (a prefix, not a key: the script appends each connection id it reads; declared so that
--          Redis Cluster sees the directory's slot, built by ClusterKeys.chatConnectionRoomsPrefix)
-- KEYS[5]  prefix of each room's members hash ({<ns>:chat}:room:)
--          (a prefix, not a key: the script appends each room it reads; declared so that
--          Redis Cluster sees the directory's slot, built by ClusterKeys.chatRoomPrefix)
-- KEYS[6]  hash: connection id -> user, for connections with one ({<ns>:chat}:users)
-- KEYS[7]  prefix of each user's set of connections ({<ns>:chat}:user:)
--          (a prefix, not a key: the script appends each user it reads, built by
--          ClusterKeys.chatUserPrefix)
-- ARGV[1]  the node id
-- ARGV[2]  how many of the node's connections to pop and forget, or 0 to forget ARGV[3..]
-- ARGV[3..] the connections to forget, if the directory lists them for the node
-- Returns  {connections forgotten, room, connection id, ...} for each membership removed

local node, connectionRooms, roomMembers = ARGV[1], KEYS[4], KEYS[5]

local ids
local popped = tonumber(ARGV[2]) > 0
if popped then
	ids = redis.call('SPOP', KEYS[2], ARGV[2])
else
	ids = {}
	for i = 3, #ARGV do
		ids[#ids + 1] = ARGV[i]
	end
end

local result = {0}
local forgotten, change = 0, 0
for _, id in ipairs(ids) do
	local listed = popped or redis.call('SREM', KEYS[2], id) == 1
	local holder = redis.call('HGET', KEYS[1], id)
	if holder == node then
		redis.call('HDEL', KEYS[1], id)
		local user = redis.call('HGET', KEYS[6], id)
		if user then
			redis.call('HDEL', KEYS[6], id)
			redis.call('SREM', KEYS[7] .. user, id)
		end
	end
	if listed or holder == node then
		forgotten = forgotten + 1
		if listed then
			change = bit.bxor(change, connectionHash(id))
		end
		local rooms = connectionRooms .. id
		for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
			change = bit.bxor(change, membershipHash(id, room))
			if redis.call('HDEL', roomMembers .. room, id) == 1 then
				result[#result + 1] = room
				result[#result + 1] = id
			end
		end
		redis.call('DEL', rooms)
	end
end

if redis.call('SCARD', KEYS[2]) == 0 then
	redis.call('HDEL', KEYS[3], node)
else
	changeFingerprint(KEYS[3], node, change)
end
result[1] = forgotten
return result
