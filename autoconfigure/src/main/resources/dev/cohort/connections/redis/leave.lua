-- Takes a connection out of a room.
--
-- KEYS[1]  hash: the room's members ({<ns>:chat}:room:<room>)
-- KEYS[2]  set: the connection's rooms ({<ns>:chat}:connection:<connection id>)
-- KEYS[3]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[4]  hash: node id -> fingerprint of its entries ({<ns>:chat}:fingerprints, see
--          register.lua)
-- ARGV[1]  the room
-- ARGV[2]  the connection id
-- Returns  1 if it was in the room, else 0

local removed = redis.call('HDEL', KEYS[1], ARGV[2])
if redis.call('SREM', KEYS[2], ARGV[1]) == 1 then
	local node = redis.call('HGET', KEYS[3], ARGV[2])
	if node then
		local hash = tonumber(string.sub(redis.sha1hex(ARGV[2] .. '\n' .. ARGV[1]), 1, 8), 16)
		redis.call('HSET', KEYS[4], node, bit.bxor(tonumber(redis.call('HGET', KEYS[4], node) or '0'), hash))
	end
end
return removed
