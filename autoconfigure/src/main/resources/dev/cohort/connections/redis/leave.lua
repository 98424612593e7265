-- Takes a connection out of a room.
--
-- KEYS[1]  hash: the room's members ({<ns>:chat}:room:<room>)
-- KEYS[2]  set: the connection's rooms ({<ns>:chat}:connection:<connection id>)
-- KEYS[3]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[4]  hash: node id -> fingerprint of its entries ({<ns>:chat}:fingerprints, see
--          common.lua)
-- ARGV[1]  the room
-- ARGV[2]  the connection id
-- Returns  1 if it was in the room, else 0

local removed = redis.call('HDEL', KEYS[1], ARGV[2])
if redis.call('SREM', KEYS[2], ARGV[1]) == 1 then
	local node = redis.call('HGET', KEYS[3], ARGV[2])
	if node then
		changeFingerprint(KEYS[4], node, membershipHash(ARGV[2], ARGV[1]))
	end
end
return removed
