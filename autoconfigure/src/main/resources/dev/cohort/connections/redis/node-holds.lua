-- Whether the node still lists a connection in a room: the last step of a join, after the
-- room's member was written. If the connection was forgotten (or left the room) meanwhile,
-- the forget may have cleaned the room before the member was written, so the joiner takes
-- the member out again.
--
-- KEYS[1]  set: the node's connection ids ({<ns>:chat:node:<node>}:connections)
-- KEYS[2]  set: the connection's rooms ({<ns>:chat:node:<node>}:rooms:<connection id>)
-- ARGV[1]  the connection id
-- ARGV[2]  the room
-- Returns  1 if it does, else 0

if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 and redis.call('SISMEMBER', KEYS[2], ARGV[2]) == 1 then
	return 1
end
return 0
