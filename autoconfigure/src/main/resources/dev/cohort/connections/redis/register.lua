-- Records that a node holds a connection, in one step.
--
-- KEYS[1]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[2]  set: the node's connection ids ({<ns>:chat}:node:<node id>)
-- KEYS[3]  hash: node id -> fingerprint of its entries ({<ns>:chat}:fingerprints)
-- ARGV[1]  the connection id
-- ARGV[2]  the node id
-- Returns  1
--
-- A node's fingerprint is the XOR of a 32-bit hash (the first 8 hex digits of the SHA-1)
-- of each of its connection ids and of each "<connection id>\n<room>" of their
-- memberships, so that the node can check cheaply that the directory holds what it holds.

redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
	local hash = tonumber(string.sub(redis.sha1hex(ARGV[1]), 1, 8), 16)
	redis.call('HSET', KEYS[3], ARGV[2], bit.bxor(tonumber(redis.call('HGET', KEYS[3], ARGV[2]) or '0'), hash))
end
return 1
