-- The node's half of a join, done first: adds the room to the connection's rooms if the
-- node lists the connection, so that a join that arrives after the connection closed adds
-- nobody.
--
-- KEYS[1]  set: the node's connection ids ({<ns>:chat:node:<node>}:connections)
-- KEYS[2]  set: the connection's rooms ({<ns>:chat:node:<node>}:rooms:<connection id>)
-- KEYS[3]  string: the node's fingerprint ({<ns>:chat:node:<node>}:fingerprint)
-- ARGV[1]  the connection id
-- ARGV[2]  the room
-- Returns  -2 if the node does not list the connection, 1 if the room was added, 0 if it
--          was there already

if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
	return -2
end
if redis.call('SADD', KEYS[2], ARGV[2]) == 1 then
	changeFingerprint(KEYS[3], membershipHash(ARGV[1], ARGV[2]))
	return 1
end
return 0
