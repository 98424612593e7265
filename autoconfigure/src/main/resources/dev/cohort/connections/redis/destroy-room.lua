-- Deletes a room and its memberships.
--
-- KEYS[1]  set: the rooms ({<ns>:chat}:rooms)
-- KEYS[2]  hash: the room's members ({<ns>:chat}:room:<room>)
-- KEYS[3]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[4]  hash: node id -> fingerprint of its entries ({<ns>:chat}:fingerprints, see
--          common.lua)
-- KEYS[5]  prefix of each connection's set of rooms ({<ns>:chat}:connection:)
--          (a prefix, not a key: the script appends each connection id it reads; declared so that
--          Redis Cluster sees the directory's slot, built by ClusterKeys.chatConnectionRoomsPrefix)
-- KEYS[6]  set: the rooms with presence off ({<ns>:chat}:quiet-rooms)
-- ARGV[1]  the room
-- Returns  {0} if the room did not exist, else {1, connection id, ...} of its members

if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then
	return {0}
end
local result = {1}
local changes = {}
for _, id in ipairs(redis.call('HKEYS', KEYS[2])) do
	table.insert(result, id)
	if redis.call('SREM', KEYS[5] .. id, ARGV[1]) == 1 then
		local node = redis.call('HGET', KEYS[3], id)
		if node then
			changes[node] = bit.bxor(changes[node] or 0, membershipHash(id, ARGV[1]))
		end
	end
end
for node, change in pairs(changes) do
	changeFingerprint(KEYS[4], node, change)
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[6], ARGV[1])
return result
