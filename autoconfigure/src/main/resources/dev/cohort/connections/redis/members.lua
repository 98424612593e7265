-- Reads a room's members with the node that holds each and its user.
--
-- KEYS[1]  set: the rooms ({<ns>:chat}:rooms)
-- KEYS[2]  hash: the room's members, connection id -> joined at ms
-- KEYS[3]  hash: connection id -> node id ({<ns>:chat}:connections)
-- KEYS[4]  hash: connection id -> user, for connections with one ({<ns>:chat}:users)
-- ARGV[1]  the room
-- Returns  {0} if the room does not exist, else {1, id, joined at, node id, user or '', ...}

if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 0 then
	return {0}
end
local result = {1}
local members = redis.call('HGETALL', KEYS[2])
for i = 1, #members, 2 do
	table.insert(result, members[i])
	table.insert(result, members[i + 1])
	table.insert(result, redis.call('HGET', KEYS[3], members[i]) or '')
	table.insert(result, redis.call('HGET', KEYS[4], members[i]) or '')
end
return result
