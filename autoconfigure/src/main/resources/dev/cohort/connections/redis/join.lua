-- Adds a connection to a room, if the room exists and the connection is registered to the
-- node that asks: a join that arrives after its connection closed (a late RPC call) must
-- not leave a member behind that nothing would ever remove.
--
-- KEYS[1]  set: the rooms ({<ns>:chat}:rooms)
-- KEYS[2]  hash: the room's members, connection id -> joined at ms ({<ns>:chat}:room:<room>)
-- KEYS[3]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[4]  set: the connection's rooms ({<ns>:chat}:connection:<connection id>)
-- KEYS[5]  hash: node id -> fingerprint of its entries ({<ns>:chat}:fingerprints, see
--          common.lua)
-- ARGV[1]  the room
-- ARGV[2]  the connection id
-- ARGV[3]  the node id
-- ARGV[4]  when it joins, ms
-- Returns  1 if added, 0 if it was in already, -1 if the room does not exist, -2 if the
--          connection is not registered to the node

if redis.call('HGET', KEYS[3], ARGV[2]) ~= ARGV[3] then
	return -2
end
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
	return -1
end
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[4]) == 0 then
	return 0
end
if redis.call('SADD', KEYS[4], ARGV[1]) == 1 then
	changeFingerprint(KEYS[5], ARGV[3], membershipHash(ARGV[2], ARGV[1]))
end
return 1
