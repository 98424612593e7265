-- Creates a room, with presence on or off; a room that exists keeps its own.
--
-- KEYS[1]  hash: the room's settings ({<ns>:chat:room:<room>}:state)
-- ARGV[1]  '1' for presence on, '0' for off
-- Returns  1 if the room was created, 0 if it existed

return redis.call('HSETNX', KEYS[1], 'presence', ARGV[1])
