-- Records that a node holds a connection, in one step.
--
-- KEYS[1]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[2]  set: the node's connection ids ({<ns>:chat}:node:<node id>)
-- KEYS[3]  hash: node id -> fingerprint of its entries ({<ns>:chat}:fingerprints, see
--          common.lua)
-- KEYS[4]  hash: connection id -> user, for connections with one ({<ns>:chat}:users)
-- KEYS[5]  set: the user's connection ids ({<ns>:chat}:user:<user>), or any key of the
--          directory if ARGV[3] is empty
-- ARGV[1]  the connection id
-- ARGV[2]  the node id
-- ARGV[3]  the user, or empty for an anonymous client
-- Returns  1

redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
	changeFingerprint(KEYS[3], ARGV[2], connectionHash(ARGV[1]))
end
if ARGV[3] ~= '' then
	redis.call('HSET', KEYS[4], ARGV[1], ARGV[3])
	redis.call('SADD', KEYS[5], ARGV[1])
end
return 1
