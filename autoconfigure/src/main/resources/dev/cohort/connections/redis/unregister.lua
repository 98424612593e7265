-- Forgets a connection and takes it out of its rooms.
--
-- KEYS[1]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[2]  set: the node's connection ids ({<ns>:chat}:node:<node id>)
-- ARGV[1]  the connection id
-- ARGV[2]  the key prefix of rooms, {<ns>:chat}:room:
-- ARGV[3..] the rooms it was in
-- Returns  1

redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[1])
for i = 3, #ARGV do
	redis.call('HDEL', ARGV[2] .. ARGV[i], ARGV[1])
end
return 1
