-- Lists a connection under the node that holds it (the node's own tag).
--
-- KEYS[1]  set: the node's connection ids ({<ns>:chat:node:<node>}:connections)
-- KEYS[2]  string: the node's fingerprint ({<ns>:chat:node:<node>}:fingerprint)
-- KEYS[3]  hash: connection id -> user ({<ns>:chat:node:<node>}:users)
-- ARGV[1]  the connection id
-- ARGV[2]  the user, or empty for an anonymous client
-- Returns  1

if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
	changeFingerprint(KEYS[2], connectionHash(ARGV[1]))
end
if ARGV[2] ~= '' then
	redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
end
return 1
