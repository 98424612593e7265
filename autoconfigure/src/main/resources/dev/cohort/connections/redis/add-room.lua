-- Creates a room, with presence on or off; a room that exists keeps its own.
--
-- KEYS[1]  set: the rooms ({<ns>:chat}:rooms)
-- KEYS[2]  set: the rooms with presence off ({<ns>:chat}:quiet-rooms)
-- ARGV[1]  the room
-- ARGV[2]  '1' for presence on, '0' for off
-- Returns  1 if the room was created, 0 if it existed

if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
	return 0
end
if ARGV[2] == '0' then
	redis.call('SADD', KEYS[2], ARGV[1])
else
	redis.call('SREM', KEYS[2], ARGV[1])
end
return 1
